import { readFileSync } from 'node:fs';

/**
 * WHO Child Growth Standards (2006) z-scores, computed as WHO's `anthro` does: daily LMS tables
 * for length/height- and weight-for-age, 0.1 cm tables for weight-for-length/height with linear
 * interpolation, the 731-day length/height switch and 0.7 cm rule, the restricted formula for
 * weight-based indicators, rounding to 2 decimals before any cut-off, and anthro's plausibility
 * flags. Pure: no Nest, no database. The rules and test vectors: ../shared/who-growth/README.md.
 */

export type Sex = 'M' | 'F';
export type Position = 'recumbent' | 'standing';

interface Lms {
  L: number;
  M: number;
  S: number;
}

export interface WhoTables {
  lhfa: Record<Sex, Lms[]>; // index: age in days, 0..1826
  wfa: Record<Sex, Lms[]>;
  wfl: Record<Sex, Lms[]>; // index: (length in mm) - 450, 45.0..110.0 cm
  wfh: Record<Sex, Lms[]>; // index: (height in mm) - 650, 65.0..120.0 cm
}

export interface GrowthInput {
  sex: Sex;
  /** Completed days from birth to measurement. */
  ageDays: number;
  weightKg?: number | null;
  lengthCm?: number | null;
  /** As recorded; null when not recorded. */
  position?: Position | null;
  oedema?: boolean;
}

export type GrowthFlag =
  | 'haz_implausible'
  | 'waz_implausible'
  | 'whz_implausible'
  /** Standing height recorded under 9 months: the position is ignored (anthro's c9mo_flag). */
  | 'standing_under_9_months'
  /** 60 months or older: the standards do not apply, no z-score. */
  | 'over_60_months';

export interface GrowthResult {
  /** Length/height after the 0.7 cm rule (anthro's clenhei), or null. */
  lengthHeightCm: number | null;
  /** The position the scores used: recumbent below 731 days, standing from 731. */
  basis: Position;
  haz: number | null;
  waz: number | null;
  whz: number | null;
  flags: GrowthFlag[];
}

const DAYS_PER_MONTH = 30.4375;
export const SWITCH_DAYS = 731;
const MAX_DAYS = 1826;

/** Rounded to 2 decimals, as anthro reports and cuts off. */
export const round2 = (z: number): number => (Math.sign(z) * Math.round(Math.abs(z) * 100)) / 100 + 0;

/** The LMS z-score, unrestricted. */
const lmsZ = (x: number, { L, M, S }: Lms): number => (L === 0 ? Math.log(x / M) / S : ((x / M) ** L - 1) / (L * S));

/** WAZ and WHZ beyond ±3 SD use the distance between the SD lines, as WHO defines. */
function restrictedZ(x: number, lms: Lms): number {
  const z = lmsZ(x, lms);
  if (Math.abs(z) <= 3) return z;
  const sd = (k: number) => lms.M * (1 + lms.L * lms.S * k) ** (1 / lms.L);
  return z > 3 ? 3 + (x - sd(3)) / (sd(3) - sd(2)) : -3 + (x - sd(-3)) / (sd(-2) - sd(-3));
}

/** Linear interpolation between the 0.1 cm rows; keys are rounded first (97.8 + 0.7 = 98.49999…). */
function interpolate(rows: Lms[], firstMm: number, cm: number): Lms | null {
  const tenths = cm * 10;
  const near = Math.round(tenths);
  const exact = Math.abs(tenths - near) < 1e-9;
  const low = exact ? near : Math.floor(tenths);
  const f = exact ? 0 : tenths - low;
  const i = low - firstMm;
  if (i < 0 || i >= rows.length || (f > 0 && i + 1 >= rows.length)) return null;
  if (f === 0) return rows[i];
  const a = rows[i];
  const b = rows[i + 1];
  return { L: a.L + f * (b.L - a.L), M: a.M + f * (b.M - a.M), S: a.S + f * (b.S - a.S) };
}

export function zscores(t: WhoTables, input: GrowthInput): GrowthResult {
  const flags: GrowthFlag[] = [];
  const { sex, ageDays } = input;
  const basis: Position = ageDays < SWITCH_DAYS ? 'recumbent' : 'standing';
  let position = input.position ?? null;
  if (position === 'standing' && ageDays / DAYS_PER_MONTH < 9) {
    position = null;
    flags.push('standing_under_9_months');
  }
  const measured = input.lengthCm != null && input.lengthCm > 0 ? input.lengthCm : null;
  let lengthHeightCm = measured;
  if (measured !== null && position !== null && position !== basis) {
    lengthHeightCm = Math.round((measured + (basis === 'recumbent' ? 0.7 : -0.7)) * 1e6) / 1e6;
  }
  const result: GrowthResult = { lengthHeightCm, basis, haz: null, waz: null, whz: null, flags };
  if (ageDays / DAYS_PER_MONTH >= 60 || ageDays > MAX_DAYS) {
    flags.push('over_60_months');
    return result;
  }
  if (ageDays < 0 || !Number.isInteger(ageDays)) throw new RangeError('ageDays must be a whole number of days from 0');
  const weight = input.weightKg != null && input.weightKg > 0 ? input.weightKg : null;
  if (lengthHeightCm !== null) {
    result.haz = round2(lmsZ(lengthHeightCm, t.lhfa[sex][ageDays]));
    if (result.haz < -6 || result.haz > 6) flags.push('haz_implausible');
  }
  if (weight !== null && !input.oedema) {
    result.waz = round2(restrictedZ(weight, t.wfa[sex][ageDays]));
    if (result.waz < -6 || result.waz > 5) flags.push('waz_implausible');
    if (lengthHeightCm !== null) {
      const lms = basis === 'recumbent' ? interpolate(t.wfl[sex], 450, lengthHeightCm) : interpolate(t.wfh[sex], 650, lengthHeightCm);
      if (lms) {
        result.whz = round2(restrictedZ(weight, lms));
        if (result.whz < -5 || result.whz > 5) flags.push('whz_implausible');
      }
    }
  }
  return result;
}

export type HazStatus = 'sangat_pendek' | 'pendek' | 'normal' | 'tinggi';
export type WazStatus = 'bb_sangat_kurang' | 'bb_kurang' | 'normal' | 'risiko_bb_lebih';
export type WhzStatus = 'gizi_buruk' | 'gizi_kurang' | 'gizi_baik' | 'berisiko_gizi_lebih' | 'gizi_lebih' | 'obesitas';

/** Permenkes 2/2020 categories (domain brief §4.2), on the rounded z-scores. */
export function classify(r: Pick<GrowthResult, 'haz' | 'waz' | 'whz'>): { haz: HazStatus | null; waz: WazStatus | null; whz: WhzStatus | null } {
  const haz = r.haz === null ? null : r.haz < -3 ? 'sangat_pendek' : r.haz < -2 ? 'pendek' : r.haz > 3 ? 'tinggi' : 'normal';
  const waz = r.waz === null ? null : r.waz < -3 ? 'bb_sangat_kurang' : r.waz < -2 ? 'bb_kurang' : r.waz > 1 ? 'risiko_bb_lebih' : 'normal';
  const whz =
    r.whz === null
      ? null
      : r.whz < -3
        ? 'gizi_buruk'
        : r.whz < -2
          ? 'gizi_kurang'
          : r.whz > 3
            ? 'obesitas'
            : r.whz > 2
              ? 'gizi_lebih'
              : r.whz > 1
                ? 'berisiko_gizi_lebih'
                : 'gizi_baik';
  return { haz, waz, whz };
}

/** Completed days between two calendar dates (YYYY-MM-DD), as WHO counts age. */
export function ageInDays(birthDate: string, measuredOn: string): number {
  return Math.round((Date.parse(`${measuredOn}T00:00:00Z`) - Date.parse(`${birthDate}T00:00:00Z`)) / 86_400_000);
}

function readTable(name: string): Lms[] {
  const text = readFileSync(new URL(`./tables/${name}.csv`, import.meta.url), 'utf8');
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [, L, M, S] = line.split(',');
      return { L: Number(L), M: Number(M), S: Number(S) };
    });
}

let loaded: WhoTables | undefined;

/** The tables shipped in ./tables (copied from ../shared/who-growth), read once. */
export function whoTables(): WhoTables {
  loaded ??= {
    lhfa: { M: readTable('lhfa_boys_days'), F: readTable('lhfa_girls_days') },
    wfa: { M: readTable('wfa_boys_days'), F: readTable('wfa_girls_days') },
    wfl: { M: readTable('wfl_boys'), F: readTable('wfl_girls') },
    wfh: { M: readTable('wfh_boys'), F: readTable('wfh_girls') },
  };
  return loaded;
}
