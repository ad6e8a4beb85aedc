import { describe, expect, it } from '@jest/globals';
import { watchWindow } from './watch-window.js';

describe('watchWindow', () => {
  it('runs the day from local midnight to local midnight in the regency zone', () => {
    expect(watchWindow('2026-11-23', '3216')).toMatchObject({ dayStart: new Date('2026-11-22T17:00:00Z'), dayEnd: new Date('2026-11-23T17:00:00Z') });
    // Makassar (WITA) and Jayapura (WIT) begin their day an hour and two earlier.
    expect(watchWindow('2026-11-23', '7371').dayStart).toEqual(new Date('2026-11-22T16:00:00Z'));
    expect(watchWindow('2026-11-23', '9471').dayEnd).toEqual(new Date('2026-11-23T15:00:00Z'));
  });

  it('ends the week on its Sunday, and a Sunday ends its own week', () => {
    expect(watchWindow('2026-11-23', '3216').weekEnd).toBe('2026-11-29'); // Monday
    expect(watchWindow('2026-11-27', '3216').weekEnd).toBe('2026-11-29'); // Friday
    expect(watchWindow('2026-11-29', '3216').weekEnd).toBe('2026-11-29'); // Sunday
    expect(watchWindow('2026-12-31', '3216').weekEnd).toBe('2027-01-03'); // across the year
  });
});
