import { addCalendarDays, startOfLocalDay } from '../../common/clock/calendar-day.js';
import type { WatchWindow } from './lokus-watch.repository.js';

/** Days ahead a pregnancy's expected delivery counts as "due" on the watch (domain-wave2 §6). */
export const PREGNANCY_DUE_WITHIN_DAYS = 30;

/**
 * The instants and days a watch of `day` in the regency is measured against: the day runs from
 * its local midnight to the next; the week is the calendar week Monday to Sunday (minggu kalender)
 * that holds the day, and "due this week" is what is still due from the day to its Sunday.
 */
export function watchWindow(day: string, regencyCode: string): WatchWindow {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return {
    day,
    dayStart: startOfLocalDay(day, regencyCode),
    dayEnd: startOfLocalDay(addCalendarDays(day, 1), regencyCode),
    weekEnd: addCalendarDays(day, (7 - weekday) % 7),
    pregnancyDueWithinDays: PREGNANCY_DUE_WITHIN_DAYS,
  };
}
