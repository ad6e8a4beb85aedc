import { completedYears } from '../families/dates.js';

/**
 * Bride-to-be screening, Elsimil-style (domain-wave2 §2), pure. The published thresholds
 * disagree (Hb < 11 by the BKKBN head, 11.5 in Sumut, < 12 for non-pregnant women; no BMI
 * cut-off found, < 18.5 by WHO), so they are a versioned table per regency and every result
 * records the version that scored it.
 */
export interface ScreeningThresholds {
  version: number;
  /** LiLA below this (cm) is chronic energy deficiency (KEK). */
  muacBelowCm: number;
  /** Hb below this (g/dL) is anaemia. */
  hbBelowGdl: number;
  /** BMI below this is underweight. */
  bmiBelow: number;
  /** Younger than this (completed years) on the screening day is too young. */
  ageBelowYears: number;
  /** Whether smoking alone makes the result BERISIKO. */
  smokingIsRisk: boolean;
}

export const DEFAULT_SCREENING: ScreeningThresholds = {
  version: 1,
  muacBelowCm: 23.5,
  hbBelowGdl: 11,
  bmiBelow: 18.5,
  ageBelowYears: 20,
  smokingIsRisk: true,
};

export const SCREENING_REASONS = ['LILA_RENDAH', 'ANEMIA', 'IMT_RENDAH', 'USIA_MUDA', 'MEROKOK'] as const;
export type ScreeningReason = (typeof SCREENING_REASONS)[number];

export interface ScreeningInput {
  birthDate: string;
  screenedOn: string;
  weightKg: number;
  heightCm: number;
  muacCm: number;
  waistCm: number | null;
  hbGdl: number | null;
  smoker: boolean;
}

export interface ScreeningResult {
  bmi: number;
  ageYears: number;
  result: 'IDEAL' | 'BERISIKO';
  reasons: ScreeningReason[];
  ruleVersion: number;
}

export function bmiOf(weightKg: number, heightCm: number): number {
  const m = heightCm / 100;
  return Math.round((weightKg / (m * m)) * 10) / 10;
}

export function screen(input: ScreeningInput, t: ScreeningThresholds = DEFAULT_SCREENING): ScreeningResult {
  const bmi = bmiOf(input.weightKg, input.heightCm);
  const ageYears = completedYears(input.birthDate, input.screenedOn);
  const reasons: ScreeningReason[] = [];
  if (input.muacCm < t.muacBelowCm) reasons.push('LILA_RENDAH');
  // Hb needs a laboratory check: without one the screening scores what it has.
  if (input.hbGdl !== null && input.hbGdl < t.hbBelowGdl) reasons.push('ANEMIA');
  if (bmi < t.bmiBelow) reasons.push('IMT_RENDAH');
  if (ageYears < t.ageBelowYears) reasons.push('USIA_MUDA');
  if (t.smokingIsRisk && input.smoker) reasons.push('MEROKOK');
  return { bmi, ageYears, result: reasons.length ? 'BERISIKO' : 'IDEAL', reasons, ruleVersion: t.version };
}
