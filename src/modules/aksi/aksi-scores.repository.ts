import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PanelScore, ScoreComponent } from './aksi-score.js';

/** The only door to aksi_panel_scores. */
@Injectable()
export class AksiScoresRepository {
  async of(em: EntityManager, regencyCode: string, year: number): Promise<PanelScore[]> {
    const rows: { component: ScoreComponent; panelist: string; points: string }[] = await em.query(
      `SELECT component, panelist, points FROM aksi_panel_scores WHERE regency_code = $1 AND year = $2 ORDER BY component, panelist`,
      [regencyCode, year],
    );
    return rows.map((r) => ({ component: r.component, panelist: r.panelist, points: Number(r.points) }));
  }

  /** One panelist's points per component; a component given again replaces that panelist's points. */
  async put(em: EntityManager, s: { regencyCode: string; year: number; panelist: string; points: Partial<Record<ScoreComponent, number>>; note: string | null; by: string; at: Date }): Promise<void> {
    const components = Object.keys(s.points) as ScoreComponent[];
    if (!components.length) return;
    await em.query(
      `INSERT INTO aksi_panel_scores (regency_code, year, component, panelist, points, note, entered_by, entered_at)
       SELECT $1, $2, c, $3, p, $4, $5, $6 FROM unnest($7::text[], $8::numeric[]) AS x (c, p)
       ON CONFLICT (regency_code, year, component, panelist)
       DO UPDATE SET points = EXCLUDED.points, note = EXCLUDED.note, entered_by = EXCLUDED.entered_by, entered_at = EXCLUDED.entered_at`,
      [s.regencyCode, s.year, s.panelist, s.note, s.by, s.at, components, components.map((c) => s.points[c])],
    );
  }
}
