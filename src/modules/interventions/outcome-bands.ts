/** How a child's length/height-for-age moved since identification, once re-measured. */
export type OutcomeBand = 'up_0_5_or_more' | 'up_less_than_0_5' | 'no_change' | 'down' | 'awaiting_remeasurement';
export const OUTCOME_BANDS: OutcomeBand[] = ['up_0_5_or_more', 'up_less_than_0_5', 'no_change', 'down', 'awaiting_remeasurement'];

/** The band of a HAZ change, rounded to hundredths first (a change of 0.499 is not half a z). */
export function outcomeBand(baselineHaz: number, latestHaz: number): Exclude<OutcomeBand, 'awaiting_remeasurement'> {
  const change = Math.round((latestHaz - baselineHaz) * 100) / 100;
  return change >= 0.5 ? 'up_0_5_or_more' : change >= 0.1 ? 'up_less_than_0_5' : change > -0.1 ? 'no_change' : 'down';
}
