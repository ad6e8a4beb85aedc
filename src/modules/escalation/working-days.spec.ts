import { describe, expect, it } from '@jest/globals';
import { addWorkingDays, utcOffsetHours } from './working-days.js';

const none = new Set<string>();

describe('addWorkingDays', () => {
  it('skips the weekend: Friday + 3 working days is Wednesday, same local hour', () => {
    // Friday 2026-11-27 10:00 WIB
    const due = addWorkingDays(new Date('2026-11-27T03:00:00Z'), 3, '3216', none);
    expect(due.toISOString()).toBe('2026-12-02T03:00:00.000Z');
  });

  it('skips public holidays of the local calendar', () => {
    // Wednesday 2026-12-23 + 3 working days, with Christmas (Friday 25th) off: Tuesday 29th.
    const due = addWorkingDays(new Date('2026-12-23T02:00:00Z'), 3, '3216', new Set(['2026-12-25']));
    expect(due.toISOString()).toBe('2026-12-29T02:00:00.000Z');
  });

  it('counts days in the regency\'s own time zone', () => {
    // Friday 2026-11-27 23:30 WIT is still Friday there, though already Friday 14:30 UTC.
    expect(utcOffsetHours('9171')).toBe(9);
    expect(utcOffsetHours('5171')).toBe(8);
    expect(utcOffsetHours('7371')).toBe(8);
    expect(utcOffsetHours('3273')).toBe(7);
    const due = addWorkingDays(new Date('2026-11-27T14:30:00Z'), 1, '9171', none);
    expect(due.toISOString()).toBe('2026-11-30T14:30:00.000Z');
  });

  it('a task assigned on a Saturday counts from Monday', () => {
    const due = addWorkingDays(new Date('2026-11-28T03:00:00Z'), 1, '3216', none);
    expect(due.toISOString()).toBe('2026-11-30T03:00:00.000Z');
  });
});
