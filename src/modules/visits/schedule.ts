import { addDaysIso, addMonthsIso } from '../families/dates.js';

/**
 * When an open target's next TPK visit is due (domain-wave2 §2), pure. The BKKBN visit
 * frequencies were not found; the defaults reuse clinical schedules [A] and every regency may
 * set its own in its SLA policy (`visits.schedule`). A due visit is the last day of the window
 * in which it has to happen; it lapses when that day ends.
 */
export interface VisitSchedule {
  /** Pregnant women: one visit in each of trimesters 1 and 2 (ending at these completed weeks), then one every `thirdTrimesterEveryDays` until week 40. */
  BUMIL: { trimesterEndWeeks: [number, number]; thirdTrimesterEveryDays: number; termWeeks: number };
  /** Post-partum mothers: one visit in each KF window; each window ends this many days after the delivery. */
  NIFAS: { kfEndDays: number[] };
  /** Children under two: one visit every `everyDays`, until `untilMonths`. */
  BADUTA: { everyDays: number; untilMonths: number };
  /**
   * Brides-to-be: one visit within `windowDays` before the planned marriage; a BERISIKO screening
   * asks for one every `riskEveryDays` until `riskAfterDays` after the marriage.
   */
  CATIN: { windowDays: number; riskEveryDays: number; riskAfterDays: number };
  /**
   * A child under five whose weighing raised an early warning (2T, BGM, faltering; issue 23):
   * one follow-up visit within `withinDays` of the flag; then the accompaniment closes.
   */
  BALITA?: { withinDays: number };
}

export const DEFAULT_VISIT_SCHEDULE: VisitSchedule = {
  BUMIL: { trimesterEndWeeks: [13, 27], thirdTrimesterEveryDays: 30, termWeeks: 40 },
  NIFAS: { kfEndDays: [2, 7, 28, 42] },
  BADUTA: { everyDays: 30, untilMonths: 24 },
  CATIN: { windowDays: 90, riskEveryDays: 30, riskAfterDays: 90 },
  BALITA: { withinDays: 7 },
};

export type ScheduledGroup = keyof VisitSchedule;

/** What the schedule needs to know of a target. `openedOn` is when accompaniment began: windows that had closed by then are not owed. */
export type ScheduleTarget =
  | { group: 'BUMIL'; openedOn: string; lmp: string }
  | { group: 'NIFAS'; openedOn: string; deliveredOn: string }
  | { group: 'BADUTA'; openedOn: string; birthDate: string }
  | { group: 'CATIN'; openedOn: string; marriageOn: string; atRisk: boolean }
  | { group: 'BALITA'; openedOn: string };

export interface DueVisit {
  /** The last day the visit may happen on. */
  dueOn: string;
  /** The first day a visit counts for it. */
  fromOn: string;
  /** Which visit it is: T1, T2, T3, KF1..KF4, MONTHLY, PRA_NIKAH, PENDAMPINGAN, TINDAK_LANJUT. */
  label: string;
}

/** The next visit due after `visits` (the days visited so far), or null when the target needs no more. */
export function nextDue(target: ScheduleTarget, visits: readonly string[], schedule: VisitSchedule = DEFAULT_VISIT_SCHEDULE): DueVisit | null {
  const sorted = [...visits].sort();
  const last = sorted[sorted.length - 1] ?? null;
  const visitedIn = (from: string, to: string) => sorted.some((v) => v >= from && v <= to);
  // A window without a visit stays owed (and escalates) until a later visit is made: then it was missed, and the schedule moves on.
  const floor = max(target.openedOn, last ?? target.openedOn);
  switch (target.group) {
    case 'BUMIL': {
      const s = schedule.BUMIL;
      const t1End = addDaysIso(target.lmp, s.trimesterEndWeeks[0] * 7 - 1);
      const t2End = addDaysIso(target.lmp, s.trimesterEndWeeks[1] * 7 - 1);
      const term = addDaysIso(target.lmp, s.termWeeks * 7);
      const windows: [string, string, string][] = [
        [target.lmp, t1End, 'T1'],
        [addDaysIso(t1End, 1), t2End, 'T2'],
      ];
      for (const [from, to, label] of windows) {
        if (to < floor || visitedIn(from, to)) continue;
        return { fromOn: max(from, target.openedOn), dueOn: to, label };
      }
      const t3 = addDaysIso(t2End, 1);
      const lastInT3 = sorted.filter((v) => v >= t3).pop() ?? null;
      const fromOn = lastInT3 ? addDaysIso(lastInT3, 1) : max(t3, target.openedOn);
      if (fromOn > term) return null;
      const dueOn = lastInT3 ? addDaysIso(lastInT3, s.thirdTrimesterEveryDays) : addDaysIso(fromOn, s.thirdTrimesterEveryDays - 1);
      return { fromOn, dueOn: min(dueOn, term), label: 'T3' };
    }
    case 'NIFAS': {
      let from = target.deliveredOn;
      for (const [i, end] of schedule.NIFAS.kfEndDays.entries()) {
        const to = addDaysIso(target.deliveredOn, end);
        const window = { fromOn: from, dueOn: to, label: `KF${i + 1}` };
        from = addDaysIso(to, 1);
        if (to < floor || visitedIn(window.fromOn, to)) continue;
        return { ...window, fromOn: max(window.fromOn, target.openedOn) };
      }
      return null;
    }
    case 'BADUTA': {
      const s = schedule.BADUTA;
      const until = addMonthsIso(target.birthDate, s.untilMonths);
      const base = max(last ?? target.openedOn, target.openedOn);
      if (base >= until) return null;
      return { fromOn: addDaysIso(base, 1), dueOn: min(addDaysIso(base, s.everyDays), addDaysIso(until, -1)), label: 'MONTHLY' };
    }
    case 'BALITA': {
      // One follow-up visit, on or after the day the flag opened it.
      if (sorted.some((v) => v >= target.openedOn)) return null;
      const s = schedule.BALITA ?? DEFAULT_VISIT_SCHEDULE.BALITA!;
      return { fromOn: target.openedOn, dueOn: addDaysIso(target.openedOn, s.withinDays), label: 'TINDAK_LANJUT' };
    }
    case 'CATIN': {
      const s = schedule.CATIN;
      const windowFrom = addDaysIso(target.marriageOn, -s.windowDays);
      const premarital = visitedIn(windowFrom, target.marriageOn);
      if (!target.atRisk) {
        return premarital || target.marriageOn < target.openedOn ? null : { fromOn: max(windowFrom, target.openedOn), dueOn: target.marriageOn, label: 'PRA_NIKAH' };
      }
      const end = addDaysIso(target.marriageOn, s.riskAfterDays);
      const base = max(last ?? target.openedOn, target.openedOn);
      if (base >= end) return null;
      const due = min(addDaysIso(base, s.riskEveryDays), end);
      // However often a BERISIKO bride is visited, one visit must still fall in the 90 days before the marriage.
      if (!premarital && base < target.marriageOn && due > target.marriageOn) {
        return { fromOn: max(windowFrom, addDaysIso(base, 1)), dueOn: target.marriageOn, label: 'PRA_NIKAH' };
      }
      return { fromOn: addDaysIso(base, 1), dueOn: due, label: 'PENDAMPINGAN' };
    }
  }
}

const max = (a: string, b: string) => (a > b ? a : b);
const min = (a: string, b: string) => (a < b ? a : b);
