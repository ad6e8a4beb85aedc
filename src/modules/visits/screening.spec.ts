import { describe, expect, it } from '@jest/globals';
import { bmiOf, DEFAULT_SCREENING, screen, type ScreeningThresholds } from './screening.js';

const base = { birthDate: '2003-04-01', screenedOn: '2026-11-20', weightKg: 52, heightCm: 155, muacCm: 25, waistCm: 70, hbGdl: 12.5, smoker: false };
// Sumut's 11.5 and the non-pregnant cut-off of 12: a second table a regency may adopt.
const V2: ScreeningThresholds = { ...DEFAULT_SCREENING, version: 2, hbBelowGdl: 12, muacBelowCm: 23.5, bmiBelow: 18.5, ageBelowYears: 21 };

describe('bride-to-be screening thresholds', () => {
  it('derives BMI (1 decimal) and completed age', () => {
    expect(bmiOf(52, 155)).toBe(21.6);
    expect(screen(base)).toEqual({ bmi: 21.6, ageYears: 23, result: 'IDEAL', reasons: [], ruleVersion: 1 });
  });

  it('each threshold of version 1 on its boundary', () => {
    expect(screen({ ...base, muacCm: 23.4 }).reasons).toEqual(['LILA_RENDAH']);
    expect(screen({ ...base, muacCm: 23.5 }).reasons).toEqual([]);
    expect(screen({ ...base, hbGdl: 10.9 }).reasons).toEqual(['ANEMIA']);
    expect(screen({ ...base, hbGdl: 11 }).reasons).toEqual([]);
    expect(screen({ ...base, weightKg: 44 }).reasons).toEqual(['IMT_RENDAH']); // 18.3
    expect(screen({ ...base, weightKg: 44.5 }).reasons).toEqual([]); // 18.5
    expect(screen({ ...base, birthDate: '2006-11-21' }).reasons).toEqual(['USIA_MUDA']); // 19 the day before the 20th birthday
    expect(screen({ ...base, birthDate: '2006-11-20' }).reasons).toEqual([]);
    expect(screen({ ...base, smoker: true }).reasons).toEqual(['MEROKOK']);
  });

  it('several reasons together, in a fixed order', () => {
    const r = screen({ ...base, muacCm: 21, hbGdl: 9.8, weightKg: 40, birthDate: '2008-01-01', smoker: true });
    expect(r.result).toBe('BERISIKO');
    expect(r.reasons).toEqual(['LILA_RENDAH', 'ANEMIA', 'IMT_RENDAH', 'USIA_MUDA', 'MEROKOK']);
  });

  it('without an Hb reading, anaemia is not judged', () => {
    expect(screen({ ...base, hbGdl: null }).result).toBe('IDEAL');
  });

  it('the same bride scores differently under version 2, and says which version scored her', () => {
    const bride = { ...base, hbGdl: 11.6, birthDate: '2006-01-15' }; // 20 years old, Hb 11.6
    expect(screen(bride, DEFAULT_SCREENING)).toMatchObject({ result: 'IDEAL', reasons: [], ruleVersion: 1 });
    expect(screen(bride, V2)).toMatchObject({ result: 'BERISIKO', reasons: ['ANEMIA', 'USIA_MUDA'], ruleVersion: 2 });
  });
});
