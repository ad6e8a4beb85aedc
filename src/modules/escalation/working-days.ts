import { utcOffsetHours } from '../../common/clock/calendar-day.js';

export { utcOffsetHours };

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * `from` moved forward by `days` working days, at the same local time of day: Saturdays,
 * Sundays and the given holidays (local YYYY-MM-DD dates) are skipped. Assigned on a Friday
 * with 3 working days, a task is due on Wednesday at the same hour.
 */
export function addWorkingDays(from: Date, days: number, regencyCode: string, holidays: ReadonlySet<string>): Date {
  const offset = utcOffsetHours(regencyCode) * HOUR_MS;
  let local = from.getTime() + offset;
  let left = days;
  while (left > 0) {
    local += DAY_MS;
    const d = new Date(local);
    const weekday = d.getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    if (holidays.has(d.toISOString().slice(0, 10))) continue;
    left -= 1;
  }
  return new Date(local - offset);
}

export function addDays(from: Date, days: number): Date {
  return new Date(from.getTime() + days * DAY_MS);
}
