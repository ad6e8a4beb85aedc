import type { CycleWeights } from './aksi-cycles.repository.js';

export const SCORE_COMPONENTS = ['documents', 'presentation', 'field'] as const;
export type ScoreComponent = (typeof SCORE_COMPONENTS)[number];

export interface PanelScore {
  component: ScoreComponent;
  panelist: string;
  points: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * The assessment score (domain brief wave 2 §3): Σ weight × component, the weights read from the
 * cycle. A component's points (0–100) are the mean of its panelists'. The total is given only when
 * every component with a weight has points: a partial sum would read as a (low) final score.
 */
export function weightedScore(weights: CycleWeights, scores: readonly PanelScore[]) {
  const components = SCORE_COMPONENTS.map((component) => {
    const mine = scores.filter((s) => s.component === component).sort((a, b) => a.panelist.localeCompare(b.panelist));
    const points = mine.length ? round2(mine.reduce((sum, s) => sum + s.points, 0) / mine.length) : null;
    return { component, weight: weights[component], points, panelists: mine.map(({ panelist, points: p }) => ({ panelist, points: p })) };
  });
  const complete = components.every((c) => c.weight === 0 || c.points !== null);
  const total = complete ? round2(components.reduce((sum, c) => sum + (c.weight * (c.points ?? 0)) / 100, 0)) : null;
  return { weights, components, total, complete };
}
