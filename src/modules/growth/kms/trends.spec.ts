import { describe, expect, it } from '@jest/globals';
import { DEFAULT_KMS_STANDARD, type KmsStandard, kbmGrams } from './kms-standard.js';
import { scoreTrends, type TrendReading } from './trends.js';

/** A monthly series: [day, age in days, kg, waz?]. */
type Row = [string, number, number | null, number?];
const series = (rows: Row[]): TrendReading[] =>
  rows.map(([day, ageDays, weightKg, waz], i) => ({ id: `r${i}`, day, ageDays, weightKg, waz: waz ?? 0, plausible: true }));
const codes = (rows: Row[], s: KmsStandard = DEFAULT_KMS_STANDARD) => scoreTrends(series(rows), s).map((r) => r.trend);

describe('KMS trend codes', () => {
  it('reads the KBM table by completed months of age', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 24, 59].map((m) => kbmGrams(DEFAULT_KMS_STANDARD, m))).toEqual([
      800, 800, 900, 800, 600, 500, 400, 400, 300, 300, 200, 200, 200,
    ]);
  });

  it.each<[string, Row[], (string | null)[]]>([
    // 1 month (31 days): KBM 800 g
    ['1 month, gained exactly the KBM', [['2026-01-05', 3, 3.2], ['2026-02-05', 34, 4.0]], ['B', 'N']],
    ['1 month, 1 g short of the KBM', [['2026-01-05', 3, 3.2], ['2026-02-05', 34, 3.999]], ['B', 'T']],
    // 2 months (61 days): KBM 900 g
    ['2 months, just above the KBM', [['2026-01-05', 30, 4.0], ['2026-02-05', 61, 4.901]], ['B', 'N']],
    ['2 months, just below the KBM', [['2026-01-05', 30, 4.0], ['2026-02-05', 61, 4.899]], ['B', 'T']],
    // 6 months (183 days): KBM 400 g
    ['6 months, above', [['2026-01-05', 152, 7.0], ['2026-02-05', 183, 7.41]], ['B', 'N']],
    ['6 months, below', [['2026-01-05', 152, 7.0], ['2026-02-05', 183, 7.39]], ['B', 'T']],
    // 18 months: KBM 200 g
    ['18 months, above', [['2026-01-05', 518, 10.0], ['2026-02-05', 549, 10.2]], ['B', 'N']],
    ['18 months, below (lost weight)', [['2026-01-05', 518, 10.0], ['2026-02-05', 549, 9.9]], ['B', 'T']],
    ['two T in a row give 2T, then 2T again, N ends it', [
      ['2026-01-05', 518, 10.0], ['2026-02-05', 549, 10.1], ['2026-03-05', 577, 10.1], ['2026-04-05', 608, 10.2], ['2026-05-05', 638, 10.5],
    ], ['B', 'T', '2T', '2T', 'N']],
    ['a missed month (59 days) gives O, and the next is judged against it', [
      ['2026-01-05', 518, 10.0], ['2026-03-05', 577, 10.1], ['2026-04-05', 608, 10.2],
    ], ['B', 'O', 'T']],
    ['50 days after the last: O, never N or T', [['2026-01-05', 518, 10.0], ['2026-02-24', 568, 12.0]], ['B', 'O']],
    ['45 days apart still counts', [['2026-01-05', 518, 10.0], ['2026-02-19', 563, 10.3]], ['B', 'N']],
    ['a T then an O breaks the run: no 2T', [
      ['2026-01-05', 518, 10.0], ['2026-02-05', 549, 10.0], ['2026-04-05', 608, 10.0], ['2026-05-05', 638, 10.0],
    ], ['B', 'T', 'O', 'T']],
    ['a second weighing in a month is a re-check', [['2026-01-05', 518, 10.0], ['2026-01-20', 533, 9.5], ['2026-02-05', 549, 10.2]], ['B', null, 'N']],
    ['a reading without a weight is no weighing', [['2026-01-05', 518, 10.0], ['2026-02-05', 549, null], ['2026-03-05', 577, 10.1]], ['B', null, 'O']],
  ])('%s', (_label, rows, expected) => {
    expect(codes(rows)).toEqual(expected);
  });

  it('an implausible reading is no weighing', () => {
    const rows = series([['2026-01-05', 518, 10.0], ['2026-02-05', 549, 3.0], ['2026-02-15', 559, 10.4]]);
    rows[1].plausible = false;
    expect(scoreTrends(rows, DEFAULT_KMS_STANDARD).map((r) => r.trend)).toEqual(['B', null, 'N']);
  });

  it('continues from prior weighings: O when weighed only long before, 2T after a stored T', () => {
    const one = series([['2026-05-05', 638, 10.0]]);
    expect(scoreTrends(one, DEFAULT_KMS_STANDARD, [], true)[0].trend).toBe('O');
    expect(scoreTrends(one, DEFAULT_KMS_STANDARD, [{ day: '2026-04-05', weightKg: 10.0, waz: 0, trend: 'T' }])[0].trend).toBe('2T');
  });
});

describe('KMS warnings', () => {
  const warn = (rows: Row[], s = DEFAULT_KMS_STANDARD) => scoreTrends(series(rows), s).map((r) => [r.warnings, r.ends]);

  it('BGM below the red line and above_orange above the orange line; a reading between the lines ends both', () => {
    const out = warn([['2026-01-05', 518, 7.0, -3.1], ['2026-02-05', 549, 7.3, -2.9], ['2026-03-05', 577, 13.9, 1.2], ['2026-04-05', 608, 14.1, 1.0]]);
    expect(out[0][0]).toEqual(['BGM']);
    expect(out[1]).toEqual([[], ['BGM', 'above_orange', 'faltering', '2T']]);
    expect(out[2][0]).toEqual(['above_orange']);
    expect(out[3][1]).toEqual(expect.arrayContaining(['above_orange', 'BGM']));
    // on the line is not below or above it
    expect(warn([['2026-01-05', 518, 7.0, -3]])[0][0]).toEqual([]);
    expect(warn([['2026-01-05', 518, 7.0, 1]])[0][0]).toEqual([]);
  });

  it('2T raises a warning; faltering is a WAZ drop of 0.67 within 3 months, not over a longer span', () => {
    const out = warn([
      ['2026-01-05', 518, 10.0, 0.0], ['2026-02-05', 549, 10.1, -0.3], ['2026-03-05', 577, 10.1, -0.67], ['2026-04-05', 608, 10.6, -0.5],
    ]);
    expect(out[2][0]).toEqual(['2T', 'faltering']);
    expect(out[3][1]).toEqual(expect.arrayContaining(['2T']));
    // -0.5 is still 0.5 below January: not 0.67, so N ends faltering too
    expect(out[3][1]).toEqual(expect.arrayContaining(['faltering']));
    const slow = warn([['2026-01-05', 518, 10.0, 0.0], ['2026-02-05', 549, 10.2, -0.2], ['2026-03-05', 577, 10.4, -0.4], ['2026-04-05', 608, 10.6, -0.6], ['2026-05-05', 638, 10.8, -0.8]]);
    expect(slow.map(([w]) => w)).toEqual([[], [], [], [], []]);
    expect(warn([['2026-01-05', 518, 10.0, 0.0], ['2026-02-05', 549, 10.2, -0.66]])[1][0]).toEqual([]);
  });

  it('two table versions give different codes and warnings on the same series', () => {
    const v2: KmsStandard = {
      ...DEFAULT_KMS_STANDARD,
      version: 2,
      kbm: [{ fromMonths: 0, grams: 800 }, { fromMonths: 12, grams: 300 }],
      redLineWaz: -2,
      maxGapDays: 62,
    };
    const rows: Row[] = [['2026-01-05', 518, 10.0, -2.5], ['2026-02-05', 549, 10.25, -2.5], ['2026-04-05', 608, 10.6, -2.4]];
    expect(codes(rows)).toEqual(['B', 'N', 'O']);
    expect(codes(rows, v2)).toEqual(['B', 'T', 'N']);
    expect(warn(rows)[0][0]).toEqual([]);
    expect(warn(rows, v2)[0][0]).toEqual(['BGM']);
  });
});
