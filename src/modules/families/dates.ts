import { utcOffsetHours } from '../escalation/working-days.js';

/**
 * Calendar-day arithmetic on YYYY-MM-DD strings (no time, no zone): due visits, ages and
 * pregnancies are counted in days, and a day is the regency's local day.
 */
const DAY_MS = 86_400_000;

const toUtc = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
const fromUtc = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function addDaysIso(iso: string, days: number): string {
  return fromUtc(toUtc(iso) + days * DAY_MS);
}

/** Whole days from `a` to `b` (negative when b is before a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((toUtc(b) - toUtc(a)) / DAY_MS);
}

/** Completed months from `from` to `to`, as an age is counted. */
export function completedMonths(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number);
  const [ty, tm, td] = to.split('-').map(Number);
  return (ty - fy) * 12 + (tm - fm) - (td < fd ? 1 : 0);
}

export function completedYears(from: string, to: string): number {
  return Math.floor(completedMonths(from, to) / 12);
}

/** `iso` plus whole months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonthsIso(iso: string, months: number): string {
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7)) - 1 + months;
  const d = Number(iso.slice(8, 10));
  const ty = y + Math.floor(m / 12);
  const tm = ((m % 12) + 12) % 12;
  const last = new Date(Date.UTC(ty, tm + 1, 0)).getUTCDate();
  return fromUtc(Date.UTC(ty, tm, Math.min(d, last)));
}

/** The regency's local calendar day at `now`. */
export function localDay(regencyCode: string, now: Date): string {
  return fromUtc(now.getTime() + utcOffsetHours(regencyCode) * 3_600_000);
}

/** The instant a local day ends in the regency (its next midnight): a visit due that day lapses then. */
export function endOfLocalDay(regencyCode: string, iso: string): Date {
  return new Date(toUtc(iso) + DAY_MS - utcOffsetHours(regencyCode) * 3_600_000);
}

export const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export function isRealDay(iso: string): boolean {
  return ISO_DAY.test(iso) && fromUtc(toUtc(iso)) === iso;
}
