/**
 * Calendar days in a regency's own time zone. A district types dates without times
 * (`2026-11-20`): that value means the day on the wall calendar in Bekasi (WIB), Makassar (WITA)
 * or Jayapura (WIT), not midnight UTC. Every comparison of a day with an instant goes through
 * here, so "same day" and "not in the future" mean the same thing in every module.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Hours ahead of UTC of a regency's local time, from its province (the first two digits):
 * WIB (UTC+7) for Sumatra, Java and West/Central Kalimantan; WITA (UTC+8) for Bali, Nusa
 * Tenggara, South/East/North Kalimantan and Sulawesi; WIT (UTC+9) for Maluku and Papua.
 */
export function utcOffsetHours(regencyCode: string): number {
  const province = Number(regencyCode.slice(0, 2));
  if (province >= 81) return 9;
  if (province >= 51 && province <= 53) return 8;
  if (province >= 63 && province <= 76) return 8;
  return 7;
}

/** `+07:00`, `+08:00` or `+09:00`. */
export function utcOffsetLabel(regencyCode: string): string {
  return `+0${utcOffsetHours(regencyCode)}:00`;
}

/** True for a bare `YYYY-MM-DD` (a calendar day), false for a date-time. */
export function isCalendarDay(value: string): boolean {
  return ISO_DAY.test(value);
}

/** The regency's calendar day (YYYY-MM-DD) on which `instant` falls. */
export function localDay(instant: Date, regencyCode: string): string {
  return new Date(instant.getTime() + utcOffsetHours(regencyCode) * HOUR_MS).toISOString().slice(0, 10);
}

/** The instant the regency's calendar day `day` begins (local midnight). */
export function startOfLocalDay(day: string, regencyCode: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - utcOffsetHours(regencyCode) * HOUR_MS);
}

/** The day of a value as given: the day itself for `YYYY-MM-DD`, the local day of a date-time. */
export function dayOf(value: string | Date, regencyCode: string): string {
  if (typeof value === 'string') return isCalendarDay(value) ? value : localDay(new Date(value), regencyCode);
  return localDay(value, regencyCode);
}

/**
 * The instant a value stands for: a date-time as given; a calendar day as the later of its local
 * start and `notBefore` (an event typed as "today" after a same-day approval happened after it),
 * never later than `now` (a day that has begun has not ended).
 */
export function instantOf(value: string, regencyCode: string, opts: { now: Date; notBefore?: Date }): Date {
  if (!isCalendarDay(value)) return new Date(value);
  let t = startOfLocalDay(value, regencyCode).getTime();
  if (opts.notBefore && dayOf(opts.notBefore, regencyCode) === value) t = Math.max(t, opts.notBefore.getTime());
  return new Date(Math.min(t, Math.max(opts.now.getTime(), startOfLocalDay(value, regencyCode).getTime())));
}

/** True when the value's day is after the regency's today. */
export function isFutureDay(value: string | Date, regencyCode: string, now: Date): boolean {
  return dayOf(value, regencyCode) > localDay(now, regencyCode);
}

/** `day` moved by `days` calendar days. */
export function addCalendarDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * A query period's bound as an instant: a date-time as given; a day as its local start (`from`)
 * or the start of the next day (`to`, exclusive), so `to=2026-11-30` includes the whole of the 30th.
 */
export function periodBound(value: string, bound: 'from' | 'to', regencyCode: string): Date {
  if (!isCalendarDay(value)) return new Date(value);
  return startOfLocalDay(bound === 'to' ? addCalendarDays(value, 1) : value, regencyCode);
}

/** The zone a query is read in when no regency is given: WIB, where most people live. */
export const DEFAULT_ZONE_REGENCY = '3171';
