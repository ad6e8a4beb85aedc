import { ageMonths, type KmsStandard, kbmGrams } from './kms-standard.js';

/** KMS trend codes: N naik, T tidak naik, 2T the second T in a row (or later), O not weighed the month before, B first weighing. */
export type TrendCode = 'N' | 'T' | '2T' | 'O' | 'B';
export const WARNINGS = ['2T', 'BGM', 'above_orange', 'faltering'] as const;
export type Warning = (typeof WARNINGS)[number];

/** A reading as the trend rules see it. Only `plausible` readings with a weight are weighings. */
export interface TrendReading {
  id: string;
  day: string;
  ageDays: number;
  weightKg: number | null;
  waz: number | null;
  plausible: boolean;
}

/** What the rules say of one reading: its code (null: no weighing, or a re-check in a month already weighed), the warnings it raises and the ones it ends. */
export interface TrendResult {
  trend: TrendCode | null;
  warnings: Warning[];
  ends: Warning[];
}

/** A weighing before the readings being scored, with the code it was given then. */
export interface PriorWeighing {
  day: string;
  weightKg: number;
  waz: number | null;
  trend: TrendCode | null;
}

/**
 * Days since 1970-01-01 of a `YYYY-MM-DD` day, by arithmetic (Howard Hinnant's days_from_civil):
 * an import scores hundreds of thousands of readings, and Date.parse was a tenth of its Node time.
 */
function dayNumber(day: string): number {
  let y = (day.charCodeAt(0) - 48) * 1000 + (day.charCodeAt(1) - 48) * 100 + (day.charCodeAt(2) - 48) * 10 + (day.charCodeAt(3) - 48);
  const m = (day.charCodeAt(5) - 48) * 10 + (day.charCodeAt(6) - 48);
  const d = (day.charCodeAt(8) - 48) * 10 + (day.charCodeAt(9) - 48);
  if (m <= 2) y -= 1;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
const daysApart = (a: string, b: string) => dayNumber(b) - dayNumber(a);

/**
 * The KMS codes and warnings of a child's readings, oldest first (pure). `prior` are the
 * counted weighings before them (at least `lookbackDays` of them, oldest first) and
 * `weighedBefore` whether any weighing precedes even those. One weighing a calendar month
 * counts (domain §4.4): a later one in the same month is a re-check and gets no code.
 *
 * - B: no weighing before; O: the last one is more than `maxGapDays` before;
 * - N: gained at least the KBM of the age (completed months) at this weighing, else T; 2T when the last counted weighing was T or 2T too;
 * - BGM below the red line, above_orange above the orange line (weight-for-age z);
 * - faltering: WAZ at least `falteringDropWaz` below a counted weighing of the `falteringWindowDays` before.
 *
 * Ends: N ends 2T, and faltering if the weighing is not faltering itself; a weighing on or above
 * the red line ends BGM, on or below the orange line ends above_orange.
 */
export function scoreTrends(readings: readonly TrendReading[], standard: KmsStandard, prior: readonly PriorWeighing[] = [], weighedBefore = false): TrendResult[] {
  const counted: PriorWeighing[] = [...prior];
  return readings.map((r) => {
    const none: TrendResult = { trend: null, warnings: [], ends: [] };
    if (!r.plausible || r.weightKg === null) return none;
    const last = counted[counted.length - 1];
    if (last && last.day.slice(0, 7) === r.day.slice(0, 7)) return none;
    let trend: TrendCode;
    if (!last) trend = weighedBefore ? 'O' : 'B';
    else if (daysApart(last.day, r.day) > standard.maxGapDays) trend = 'O';
    else {
      const gainedGrams = Math.round((r.weightKg - last.weightKg) * 1000);
      trend = gainedGrams >= kbmGrams(standard, ageMonths(r.ageDays)) ? 'N' : last.trend === 'T' || last.trend === '2T' ? '2T' : 'T';
    }
    const warnings: Warning[] = [];
    const ends: Warning[] = [];
    if (trend === '2T') warnings.push('2T');
    if (r.waz !== null) {
      if (r.waz < standard.redLineWaz) warnings.push('BGM');
      else ends.push('BGM');
      if (r.waz > standard.orangeLineWaz) warnings.push('above_orange');
      else ends.push('above_orange');
      const waz = r.waz;
      const fell = counted.some((c) => c.waz !== null && daysApart(c.day, r.day) <= standard.falteringWindowDays && Math.round((c.waz - waz) * 1000) >= Math.round(standard.falteringDropWaz * 1000));
      if (fell) warnings.push('faltering');
      else if (trend === 'N') ends.push('faltering');
    }
    if (trend === 'N') ends.push('2T');
    counted.push({ day: r.day, weightKg: r.weightKg, waz: r.waz, trend });
    return { trend, warnings, ends };
  });
}
