import { describe, expect, it } from '@jest/globals';
import { outcomeBand } from './outcome-bands.js';

describe('outcome bands of a HAZ change', () => {
  it.each([
    [-2.8, -2.3, 'up_0_5_or_more'],
    [-2.8, -2.301, 'up_0_5_or_more'],
    [-2.8, -2.31, 'up_less_than_0_5'],
    [-2.8, -2.7, 'up_less_than_0_5'],
    [-2.8, -2.71, 'no_change'],
    [-2.8, -2.8, 'no_change'],
    [-2.8, -2.89, 'no_change'],
    [-2.8, -2.9, 'down'],
    [-2.8, -3.5, 'down'],
  ])('from %p to %p: %s', (baseline, latest, band) => expect(outcomeBand(baseline, latest)).toBe(band));
});
