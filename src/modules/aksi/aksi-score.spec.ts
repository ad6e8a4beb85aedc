import { weightedScore } from './aksi-score.js';

describe('weightedScore', () => {
  const bengkulu = { documents: 60, presentation: 20, field: 20 };

  it('weighs each component by the cycle: 60% of 80 + 20% of 90 + 20% of 70 = 80', () => {
    const s = weightedScore(bengkulu, [
      { component: 'documents', panelist: 'panel', points: 80 },
      { component: 'presentation', panelist: 'panel', points: 90 },
      { component: 'field', panelist: 'panel', points: 70 },
    ]);
    expect(s.total).toBe(80);
    expect(s.complete).toBe(true);
    expect(s.components.map((c) => [c.component, c.weight, c.points])).toEqual([
      ['documents', 60, 80],
      ['presentation', 20, 90],
      ['field', 20, 70],
    ]);
  });

  it("reads another province's weights: 50/30/20 gives 50% of 80 + 30% of 90 + 20% of 70 = 81", () => {
    const s = weightedScore({ documents: 50, presentation: 30, field: 20 }, [
      { component: 'documents', panelist: 'panel', points: 80 },
      { component: 'presentation', panelist: 'panel', points: 90 },
      { component: 'field', panelist: 'panel', points: 70 },
    ]);
    expect(s.total).toBe(81);
  });

  it("takes a component's points as the mean of its panelists", () => {
    const s = weightedScore(bengkulu, [
      { component: 'documents', panelist: 'A', points: 80 },
      { component: 'documents', panelist: 'B', points: 85 },
      { component: 'documents', panelist: 'C', points: 90 },
      { component: 'presentation', panelist: 'A', points: 75.5 },
      { component: 'field', panelist: 'A', points: 60 },
    ]);
    expect(s.components[0].points).toBe(85);
    expect(s.components[0].panelists).toEqual([{ panelist: 'A', points: 80 }, { panelist: 'B', points: 85 }, { panelist: 'C', points: 90 }]);
    expect(s.total).toBe(0.6 * 85 + 0.2 * 75.5 + 0.2 * 60);
  });

  it('gives no total while a weighted component has no points', () => {
    const s = weightedScore(bengkulu, [{ component: 'documents', panelist: 'panel', points: 100 }]);
    expect(s.complete).toBe(false);
    expect(s.total).toBeNull();
    expect(s.components[1].points).toBeNull();
  });

  it('needs no points for a component weighted 0', () => {
    const s = weightedScore({ documents: 100, presentation: 0, field: 0 }, [{ component: 'documents', panelist: 'panel', points: 72.5 }]);
    expect(s.total).toBe(72.5);
    expect(s.complete).toBe(true);
  });
});
