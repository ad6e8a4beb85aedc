import { startOfLocalDay } from '../../common/clock/calendar-day.js';
import { rungAt, type Rung } from '../escalation/policy.js';

const DAY_MS = 86_400_000;

/** The instant a calendar-day deadline ends in the region's zone (the next local midnight). */
export function endOfLocalDay(day: string, regionCode: string): Date {
  return new Date(startOfLocalDay(day, regionCode).getTime() + DAY_MS);
}

/** When each rung of a ladder fires for a step due at `dueAt` (negative afterDays: before it). */
export function rungTimes(ladder: Rung[], dueAt: Date): { level: number; at: Date }[] {
  return [...ladder].sort((a, b) => a.level - b.level).map((r) => ({ level: r.level, at: rungAt(ladder, r.level, dueAt)! }));
}
