import { describe, expect, it } from '@jest/globals';
import {
  deriveTarget,
  FACTOR_FLAGS,
  gestationalWeeksOn,
  isKrs,
  type KrsFactors,
  type KrsTarget,
  type MemberFacts,
  policyVerdict,
  TARGET_FLAGS,
  transitionFrom,
} from './krs.js';

/** Every combination of the 4 target flags and the 7 factors: 16 x 128 = 2,048 rows. */
function* truthTable(): Generator<{ t: KrsTarget; f: KrsFactors; bits: string }> {
  for (let tb = 0; tb < 16; tb++) {
    for (let fb = 0; fb < 128; fb++) {
      const t = Object.fromEntries(TARGET_FLAGS.map((k, i) => [k, ((tb >> i) & 1) === 1])) as unknown as KrsTarget;
      const f = Object.fromEntries(FACTOR_FLAGS.map((k, i) => [k, ((fb >> i) & 1) === 1])) as unknown as KrsFactors;
      yield { t, f, bits: `${tb.toString(2).padStart(4, '0')}/${fb.toString(2).padStart(7, '0')}` };
    }
  }
}

// The brief's rules restated as bit arithmetic, independently of krs.ts's set logic.
// Factor bits: 0 water, 1 latrine, 2-5 the four terlalu, 6 no modern FP. Target bits: 0 pus, 1 pus hamil, 2 baduta, 3 balita.
function oracle(rule: 'ANY_FACTOR' | 'STRICT_PUS', tb: number, fb: number): boolean {
  if (tb === 0) return false;
  const pus = (tb & 0b0011) !== 0;
  const sanitation = (fb & 0b0000011) !== 0;
  const terlalu = (fb & 0b0111100) !== 0;
  const noFp = (fb & 0b1000000) !== 0;
  if (rule === 'ANY_FACTOR') return sanitation || (pus && (terlalu || noFp));
  return pus ? sanitation && terlalu && noFp : sanitation;
}

describe('KRS truth table (4 target flags x 7 factors)', () => {
  for (const rule of ['ANY_FACTOR', 'STRICT_PUS'] as const) {
    it(`policy ${rule} gives the brief's answer on all 2,048 rows`, () => {
      const wrong: string[] = [];
      let atRisk = 0;
      for (const { t, f, bits } of truthTable()) {
        const [tb, fb] = bits.split('/').map((b) => parseInt(b, 2));
        const got = policyVerdict(rule, t, f);
        if (got !== oracle(rule, tb, fb)) wrong.push(bits);
        if (got) atRisk += 1;
      }
      expect(wrong).toEqual([]);
      // Counted by hand: ANY_FACTOR, 12 PUS combos x 127 + 3 non-PUS x 96 (water or latrine: 128 - 32);
      // STRICT_PUS, 12 x (3 sanitation x 15 terlalu x 1) + 3 x 96.
      expect(atRisk).toBe(rule === 'ANY_FACTOR' ? 12 * 127 + 3 * 96 : 12 * 45 + 3 * 96);
    });
  }

  const none: KrsFactors = {
    airTidakLayak: false,
    jambanTidakLayak: false,
    terlaluMuda: false,
    terlaluTua: false,
    terlaluDekat: false,
    terlaluBanyak: false,
    nonKbModern: false,
  };
  const pusOnly: KrsTarget = { pus: true, pusHamil: false, baduta: false, balita: false };
  const badutaOnly: KrsTarget = { pus: false, pusHamil: false, baduta: true, balita: false };

  it('the two versions disagree on the same family: a PUS with only an unfit latrine', () => {
    const f = { ...none, jambanTidakLayak: true };
    expect(policyVerdict('ANY_FACTOR', pusOnly, f)).toBe(true);
    expect(policyVerdict('STRICT_PUS', pusOnly, f)).toBe(false);
    expect(policyVerdict('STRICT_PUS', pusOnly, { ...f, terlaluDekat: true, nonKbModern: true })).toBe(true);
  });

  it('the terlalu and contraception count only for a couple of childbearing age', () => {
    expect(policyVerdict('ANY_FACTOR', badutaOnly, { ...none, terlaluMuda: true, nonKbModern: true })).toBe(false);
    expect(policyVerdict('ANY_FACTOR', pusOnly, { ...none, terlaluMuda: true })).toBe(true);
  });

  it('a family that is not a target family is never KRS, whatever its factors', () => {
    const all = Object.fromEntries(FACTOR_FLAGS.map((k) => [k, true])) as unknown as KrsFactors;
    const noTarget: KrsTarget = { pus: false, pusHamil: false, baduta: false, balita: false };
    expect(policyVerdict('ANY_FACTOR', noTarget, all)).toBe(false);
    expect(policyVerdict('STRICT_PUS', noTarget, all)).toBe(false);
  });

  it('an imported flag wins over both versions', () => {
    const policy = { version: 2, rule: 'STRICT_PUS' as const };
    expect(isKrs(policy, pusOnly, { ...none, airTidakLayak: true }, true)).toBe(true);
    expect(isKrs({ version: 1, rule: 'ANY_FACTOR' }, pusOnly, { ...none, airTidakLayak: true }, false)).toBe(false);
    expect(isKrs({ version: 1, rule: 'ANY_FACTOR' }, pusOnly, { ...none, airTidakLayak: true }, null)).toBe(true);
  });

  it('transition against the previous period: BARU + LAMA are this period\'s KRS', () => {
    expect(transitionFrom(null, true)).toBe('BARU');
    expect(transitionFrom(false, true)).toBe('BARU');
    expect(transitionFrom(true, true)).toBe('LAMA');
    expect(transitionFrom(true, false)).toBe('KELUAR');
    expect(transitionFrom(null, false)).toBe('TETAP_NON');
    expect(transitionFrom(false, false)).toBe('TETAP_NON');
  });
});

describe('target flags from the members', () => {
  const wife = (over: Partial<MemberFacts> = {}): MemberFacts => ({
    relation: 'ISTRI',
    sex: 'F',
    birthDate: '1998-05-10',
    gestWeeks: null,
    gestRecordedOn: null,
    deliveredOn: null,
    ...over,
  });
  const child = (birthDate: string): MemberFacts => ({ relation: 'ANAK', sex: 'M', birthDate, gestWeeks: null, gestRecordedOn: null, deliveredOn: null });

  it('PUS is a wife aged 15-49 on the reference date', () => {
    expect(deriveTarget([wife({ birthDate: '1976-12-01' })], '2026-11-30').pus).toBe(true); // 49
    expect(deriveTarget([wife({ birthDate: '1976-11-30' })], '2026-11-30').pus).toBe(false); // 50 that day
    expect(deriveTarget([wife({ birthDate: '2011-12-01' })], '2026-11-30').pus).toBe(false); // 14
  });

  it('baduta under 24 months, balita 24-59 months, on the reference date', () => {
    expect(deriveTarget([child('2024-12-01')], '2026-11-30')).toMatchObject({ baduta: true, balita: false }); // 23 months
    expect(deriveTarget([child('2024-11-30')], '2026-11-30')).toMatchObject({ baduta: false, balita: true }); // 24 months
    expect(deriveTarget([child('2021-11-30')], '2026-11-30')).toMatchObject({ baduta: false, balita: false }); // 60 months
  });

  describe('the 40-week staleness of a pregnancy', () => {
    // Recorded at 12 weeks on 2026-06-01: week 40 is reached 28 weeks (196 days) later, on 2026-12-14.
    const pregnant = wife({ gestWeeks: 12, gestRecordedOn: '2026-06-01' });

    it('projects the gestational age from the day it was recorded', () => {
      expect(gestationalWeeksOn(pregnant, '2026-06-01')).toBe(12);
      expect(gestationalWeeksOn(pregnant, '2026-06-07')).toBe(12);
      expect(gestationalWeeksOn(pregnant, '2026-06-08')).toBe(13);
    });

    it('counts through week 40 and no longer after it', () => {
      expect(gestationalWeeksOn(pregnant, '2026-12-14')).toBe(40);
      expect(gestationalWeeksOn(pregnant, '2026-12-20')).toBe(40);
      expect(gestationalWeeksOn(pregnant, '2026-12-21')).toBeNull();
      expect(deriveTarget([pregnant], '2026-12-20').pusHamil).toBe(true);
      expect(deriveTarget([pregnant], '2026-12-21')).toEqual({ pus: true, pusHamil: false, baduta: false, balita: false });
    });

    it('ends at a recorded delivery, and does not exist before it was recorded', () => {
      expect(gestationalWeeksOn({ ...pregnant, deliveredOn: '2026-11-20' }, '2026-11-20')).toBeNull();
      expect(gestationalWeeksOn({ ...pregnant, deliveredOn: '2026-11-20' }, '2026-11-19')).toBe(36);
      expect(gestationalWeeksOn(pregnant, '2026-05-31')).toBeNull();
    });
  });
});
