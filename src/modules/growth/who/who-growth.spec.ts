import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { classify, type GrowthInput, type Position, whoTables, zscores } from './who-growth.js';

const t = whoTables();
const pos = (p: string): Position | null => (p === 'lying' ? 'recumbent' : p === 'standing' ? 'standing' : null);

describe('WHO growth z-scores', () => {
  // ../shared/who-growth/README.md, "Test vectors (verified)"
  it.each([
    [1, 'M', 365, null, 71.0, 'lying', -1.99, null, null],
    [2, 'F', 731, null, 77.5, 'not recorded', -2.55, null, null],
    [3, 'M', 987, null, 72.86, 'lying', -6.09, null, null],
    [4, 'M', 274, null, 60.0, 'standing', -5.02, null, null],
    [5, 'M', 244, null, 60.0, 'standing', -4.81, null, null],
    [6, 'M', 269, 6.3, 64.8, 'lying', -3.11, -3.08, -1.7],
    [7, 'F', 90, 4.5, 60.4, 'lying', 0.34, -2.02, -3.26],
    [8, 'M', 967, 11.0, 85.1, 'lying', -2.52, -1.81, -0.57],
    [9, 'M', 1509, 14.0, 104.3, 'standing', 0.02, -1.34, -2.1],
    [10, 'M', 194, 11.9, 73.2, 'lying', 2.32, 3.68, 3.06],
  ] as const)('vector %i', (_, sex, ageDays, weightKg, lengthCm, position, haz, waz, whz) => {
    const r = zscores(t, { sex, ageDays, weightKg, lengthCm, position: pos(position) });
    expect([r.haz, r.waz, r.whz]).toEqual([haz, waz, whz]);
  });

  it('flags and adjusts as anthro does', () => {
    const v3 = zscores(t, { sex: 'M', ageDays: 987, lengthCm: 72.86, position: 'recumbent' });
    expect(v3.lengthHeightCm).toBeCloseTo(72.16, 6);
    expect(v3.flags).toContain('haz_implausible');
    expect(zscores(t, { sex: 'M', ageDays: 274, lengthCm: 60, position: 'standing' }).lengthHeightCm).toBeCloseTo(60.7, 6);
    const c9 = zscores(t, { sex: 'M', ageDays: 244, lengthCm: 60, position: 'standing' });
    expect([c9.lengthHeightCm, c9.flags]).toEqual([60, ['standing_under_9_months']]);
  });

  it('passes the extra checks', () => {
    expect(zscores(t, { sex: 'M', ageDays: 365, lengthCm: 75.7, position: 'recumbent' }).haz).toBe(-0.02);
    expect(zscores(t, { sex: 'F', ageDays: 955, weightKg: 7.6 }).waz).toBe(-4.32);
    expect(zscores(t, { sex: 'M', ageDays: 44, lengthCm: 50 }).haz).toBe(-3.29);
  });

  it('gives nothing at 60 months or older, for a zero measurement, or weight-based scores with oedema', () => {
    const old = zscores(t, { sex: 'F', ageDays: 1827, weightKg: 15, lengthCm: 100 });
    expect([old.haz, old.waz, old.whz, old.flags]).toEqual([null, null, null, ['over_60_months']]);
    expect(zscores(t, { sex: 'F', ageDays: 300, weightKg: 0, lengthCm: 0 })).toMatchObject({ haz: null, waz: null, whz: null });
    const oedema = zscores(t, { sex: 'F', ageDays: 300, weightKg: 7, lengthCm: 68, oedema: true });
    expect([oedema.haz !== null, oedema.waz, oedema.whz]).toEqual([true, null, null]);
    // Outside the WFL table: no score, no clamping.
    expect(zscores(t, { sex: 'M', ageDays: 10, weightKg: 2, lengthCm: 44.5 }).whz).toBeNull();
  });

  it('classifies by Permenkes 2/2020 on the rounded values', () => {
    expect(classify({ haz: -2.0, waz: -3.01, whz: 2.5 })).toEqual({ haz: 'normal', waz: 'bb_sangat_kurang', whz: 'gizi_lebih' });
    expect(classify({ haz: -2.01, waz: 1.01, whz: -2 })).toEqual({ haz: 'pendek', waz: 'risiko_bb_lebih', whz: 'gizi_baik' });
    expect(classify({ haz: -3.5, waz: null, whz: 3.2 })).toEqual({ haz: 'sangat_pendek', waz: null, whz: 'obesitas' });
  });

  it("reproduces WHO's igrowup example survey (498 children)", () => {
    const [header, ...lines] = readFileSync(new URL('../../../../test/fixtures/who_igrowup_survey_z.csv', import.meta.url), 'utf8').trim().split('\n');
    const cols = header.split(',');
    const mismatches: string[] = [];
    let scored = 0;
    for (const line of lines) {
      const v = Object.fromEntries(line.split(',').map((x, i) => [cols[i], x]));
      const num = (k: string) => (v[k] === '' ? null : Number(v[k]));
      const tenth = (k: string) => (v[k] === '' ? null : Math.round(Number(v[k]) * 10) / 10);
      const months = Number(v.agemons);
      const ageDays = Math.floor(months * 30.4375 + 0.5);
      if (String(ageDays) !== v._agedays) mismatches.push(`${v.id}: age ${ageDays} vs ${v._agedays}`);
      const input: GrowthInput = {
        sex: v.GENDER === '1' ? 'M' : 'F',
        ageDays,
        weightKg: tenth('WEIGHT'),
        lengthCm: tenth('HEIGHT'),
        position: v.measure === 'l' ? 'recumbent' : v.measure === 'h' ? 'standing' : null,
        oedema: v.oedema === 'y',
      };
      const r = zscores(t, input);
      if (months >= 60) {
        expect([r.haz, r.waz, r.whz]).toEqual([null, null, null]);
        continue;
      }
      scored++;
      const expected = { haz: num('_ZLEN'), waz: num('_ZWEI'), whz: num('_ZWFL') };
      const got = { haz: r.haz, waz: r.waz, whz: r.whz };
      if (JSON.stringify(expected) !== JSON.stringify(got)) mismatches.push(`${v.id}: want ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`);
      const flags = { haz: num('_FLEN'), waz: num('_FWEI'), whz: num('_FWFL') };
      for (const k of ['haz', 'waz', 'whz'] as const) {
        if (flags[k] === null) continue;
        if ((flags[k] === 1) !== r.flags.includes(`${k}_implausible`)) mismatches.push(`${v.id}: ${k} flag ${flags[k]}`);
      }
      const clenhei = num('_CLENHEI');
      if (clenhei !== null && r.lengthHeightCm !== null && Math.abs(clenhei - r.lengthHeightCm) > 0.051) {
        mismatches.push(`${v.id}: clenhei ${clenhei} vs ${r.lengthHeightCm}`);
      }
    }
    expect(scored).toBe(494);
    expect(mismatches).toEqual([]);
  });
});
