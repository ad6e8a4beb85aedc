/**
 * The growth-monitoring (KMS / Buku KIA) standard a regency reads its weighings against: the
 * minimum monthly weight gain by age (KBM, Kenaikan Berat badan Minimal), the red and orange
 * lines of the weight chart, and the early-warning thresholds. A versioned table per regency
 * (`kms_standards`); version 1 of the national row is the default below. See docs/early-warning.md.
 */
export interface KmsStandard {
  /** The version in force; 1 is the national default. */
  version: number;
  /** KBM in grams from an age in completed months on (sorted by `fromMonths`); the last step applies to every older age. */
  kbm: { fromMonths: number; grams: number }[];
  /** The red line as a weight-for-age z-score: below it is BGM (bawah garis merah). Unverified: Permenkes 2/2020 "BB sangat kurang". */
  redLineWaz: number;
  /** The orange line as a weight-for-age z-score: above it the Buku KIA refers. Unverified: Permenkes 2/2020 "risiko BB lebih". */
  orangeLineWaz: number;
  /** Weighings further apart than this get no N/T, only O. */
  maxGapDays: number;
  /** Faltering: a weight-for-age z-score at least this far below one of the `falteringWindowDays` before. */
  falteringDropWaz: number;
  falteringWindowDays: number;
  /** Lost: no reading for this many days while under five. */
  lostAfterDays: number;
  /** The OPD a 2T, BGM or faltering flag is referred to (a follow-up task in its inbox). Unverified: districts route through Dinkes to the puskesmas. */
  referralOpdCode: string;
}

/**
 * National defaults. KBM: Buku KIA (Kemenkes 2023 edition, the weight chart page: "NAIK (N) ...
 * kenaikan BB sama dengan KBM atau lebih; TIDAK NAIK (T) ... kurang dari KBM") and Kemenkes,
 * Standar Pemantauan Pertumbuhan Balita (2006): 1 month 800 g, 2 months 900 g, 3 months 800 g,
 * 4 months 600 g, 5 months 500 g, 6-7 months 400 g, 8-10 months 300 g, from 11 months 200 g.
 * The 45-day gap, the faltering rule (0.67 WAZ over at most 3 months) and the 60-day lost rule
 * come from issue 23; the line positions are not verified and stay data.
 */
export const DEFAULT_KMS_STANDARD: KmsStandard = {
  version: 1,
  kbm: [
    { fromMonths: 0, grams: 800 },
    { fromMonths: 2, grams: 900 },
    { fromMonths: 3, grams: 800 },
    { fromMonths: 4, grams: 600 },
    { fromMonths: 5, grams: 500 },
    { fromMonths: 6, grams: 400 },
    { fromMonths: 8, grams: 300 },
    { fromMonths: 11, grams: 200 },
  ],
  redLineWaz: -3,
  orangeLineWaz: 1,
  maxGapDays: 45,
  falteringDropWaz: 0.67,
  falteringWindowDays: 92,
  lostAfterDays: 60,
  referralOpdCode: 'DINKES',
};

/** Completed months of an age in days, as anthro converts (30.4375 days a month). */
export const ageMonths = (ageDays: number) => Math.floor(ageDays / 30.4375);

/** The KBM in grams at an age in completed months. */
export function kbmGrams(s: Pick<KmsStandard, 'kbm'>, months: number): number {
  let grams = s.kbm[0]?.grams ?? 0;
  for (const step of s.kbm) if (step.fromMonths <= months) grams = step.grams;
  return grams;
}

/** How far back a reading's codes depend on earlier readings, in days. */
export const lookbackDays = (s: KmsStandard) => Math.max(s.maxGapDays, s.falteringWindowDays) + 1;
