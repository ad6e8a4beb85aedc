import type { NewCasePolicy } from '../escalation/policy.js';
import type { OutcomePolicy } from './machine/case.types.js';
import { addCalendarDays } from '../../common/clock/calendar-day.js';

/** A child's last finished case, as the rule for a new one needs it. */
export interface FinishedCase {
  state: 'resolved' | 'closed';
  /** The regency's calendar day the case was resolved or closed. */
  finishedDay: string;
  /** The latest HAZ the case was resolved with (null for a closed case). */
  resolvedHaz: number | null;
}

/** What is known of a child before a stunted, plausible reading of it is stored. */
export interface ChildRecord {
  /** The day of the child's latest reading stored before this one. */
  latestReadingDay: string | null;
  lastFinished: FinishedCase | null;
}

/**
 * Why a stunted, plausible reading of a child without an open case opens no case, or null when it
 * opens one. Catch-up data (a reading older than what is already known, or from before the last
 * case ended) never opens a case. After a resolution under the improvement rule (the child still
 * below the policy's HAZ), a routine weighing opens one only on a relapse or once the re-audit
 * time has passed.
 */
export function whyNoNewCase(reading: { day: string; haz: number }, child: ChildRecord, outcome: OutcomePolicy, rule: NewCasePolicy): string | null {
  if (child.latestReadingDay && reading.day < child.latestReadingDay) {
    return `it is dated before the child's latest reading (${child.latestReadingDay}): an older reading opens no case`;
  }
  const last = child.lastFinished;
  if (!last) return null;
  if (reading.day <= last.finishedDay) {
    return `it is dated on or before the day the child's last case ended (${last.finishedDay})`;
  }
  if (last.state !== 'resolved' || last.resolvedHaz === null || last.resolvedHaz >= outcome.minHaz) return null;
  const relapseBelow = Math.round((last.resolvedHaz - rule.relapseHazDrop) * 100) / 100;
  if (reading.haz <= relapseBelow) return null;
  const reauditFrom = addCalendarDays(last.finishedDay, rule.reauditAfterDays);
  if (reading.day >= reauditFrom) return null;
  return (
    `the child's last case was resolved on ${last.finishedDay} with HAZ ${last.resolvedHaz} under the improvement rule; ` +
    `a new case opens when HAZ falls to ${relapseBelow} or below, or from ${reauditFrom}`
  );
}
