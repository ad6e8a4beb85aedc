import { assign, setup } from 'xstate';
import type { CaseContext, CaseEvent, CaseInput } from './case.types.js';
import { REOPEN_WINDOW_DAYS } from './case.types.js';

type EventOf<T extends CaseEvent['type']> = Extract<CaseEvent, { type: T }>;
const DAY_MS = 86_400_000;
const ms = (iso: string) => new Date(iso).getTime();

/**
 * Why an event may not happen, or null. The machine's guards are these functions, so the API
 * can tell a refused user the same reason the machine used.
 */
export const guardProblems = {
  RECORD_AUDIT(c: CaseContext, e: EventOf<'RECORD_AUDIT'>): string | null {
    if (ms(e.auditedAt) > ms(e.at)) return 'auditedAt is in the future';
    if (ms(e.auditedAt) < ms(c.identifiedAt)) return 'auditedAt is before the case was identified';
    return null;
  },
  START_INTERVENTION(c: CaseContext, e: EventOf<'START_INTERVENTION'>): string | null {
    if (ms(e.startedAt) > ms(e.at)) return 'startedAt is in the future';
    if (c.auditedAt && ms(e.startedAt) < ms(c.auditedAt)) return 'startedAt is before the audit';
    return null;
  },
  RECORD_REMEASUREMENT(c: CaseContext, e: EventOf<'RECORD_REMEASUREMENT'>): string | null {
    if (ms(e.measuredAt) > ms(e.at)) return 'measuredAt is in the future';
    if (c.interventionStartedAt && ms(e.measuredAt) < ms(c.interventionStartedAt)) {
      return 'measuredAt is before the intervention started';
    }
    return null;
  },
  RESOLVE(_c: CaseContext, e: EventOf<'RESOLVE'>): string | null {
    const { minHaz, minImprovement } = e.policy;
    if (e.latestHaz >= minHaz) return null;
    if (e.latestHaz - e.baselineHaz >= minImprovement) return null;
    return `the outcome policy is not met: the latest HAZ (${e.latestHaz}) is below ${minHaz} and improved by ${
      Math.round((e.latestHaz - e.baselineHaz) * 100) / 100
    }, less than ${minImprovement}`;
  },
  REOPEN(c: CaseContext, e: EventOf<'REOPEN'>): string | null {
    if (c.closedAt && ms(e.at) - ms(c.closedAt) > REOPEN_WINDOW_DAYS * DAY_MS) {
      return `a case can be reopened only within ${REOPEN_WINDOW_DAYS} days of closing`;
    }
    return null;
  },
} satisfies Partial<{ [T in CaseEvent['type']]: (c: CaseContext, e: EventOf<T>) => string | null }>;

const passes =
  <T extends keyof typeof guardProblems>(type: T) =>
  ({ context, event }: { context: CaseContext; event: CaseEvent }) =>
    event.type === type && (guardProblems[type] as (c: CaseContext, e: CaseEvent) => string | null)(context, event) === null;

/**
 * Version 1 of a stunting case: identified → audited → intervened → remeasured → resolved, or
 * closed from any open step. Deadlines are not modelled here (they live in the database);
 * the machine is pure: no actions with effects, no delays, no clock.
 */
export const caseMachineV1 = setup({
  types: { context: {} as CaseContext, events: {} as CaseEvent, input: {} as CaseInput },
  guards: {
    auditOk: passes('RECORD_AUDIT'),
    interventionOk: passes('START_INTERVENTION'),
    remeasurementOk: passes('RECORD_REMEASUREMENT'),
    outcomeOk: passes('RESOLVE'),
    reopenOk: passes('REOPEN'),
  },
  actions: {
    recordAudit: assign(({ event }) => (event.type === 'RECORD_AUDIT' ? { auditedAt: event.auditedAt, cycle: event.cycle } : {})),
    recordStart: assign(({ event }) => (event.type === 'START_INTERVENTION' ? { interventionStartedAt: event.startedAt } : {})),
    recordMeasurement: assign(({ event }) => (event.type === 'RECORD_REMEASUREMENT' ? { lastMeasuredAt: event.measuredAt } : {})),
    recordClose: assign(({ event }) => (event.type === 'CLOSE' ? { closedAt: event.at, closeReason: event.reason } : {})),
    clearClose: assign({ closedAt: null, closeReason: null }),
  },
}).createMachine({
  id: 'case',
  version: '1',
  initial: 'identified',
  // XState also evaluates this, without input, for the inert actor behind every pure transition():
  // it must not throw there (a throw per transition is measurable).
  context: ({ input }) => ({
    identifiedAt: input?.identifiedAt ?? '',
    auditedAt: null,
    cycle: null,
    interventionStartedAt: null,
    lastMeasuredAt: null,
    closedAt: null,
    closeReason: null,
  }),
  states: {
    identified: {
      on: {
        RECORD_AUDIT: { guard: 'auditOk', target: 'audited', actions: 'recordAudit' },
        CLOSE: { target: 'closed', actions: 'recordClose' },
      },
    },
    audited: {
      on: {
        START_INTERVENTION: { guard: 'interventionOk', target: 'intervened', actions: 'recordStart' },
        CLOSE: { target: 'closed', actions: 'recordClose' },
      },
    },
    intervened: {
      on: {
        RECORD_REMEASUREMENT: { guard: 'remeasurementOk', target: 'remeasured', actions: 'recordMeasurement' },
        CLOSE: { target: 'closed', actions: 'recordClose' },
      },
    },
    remeasured: {
      on: {
        RESOLVE: { guard: 'outcomeOk', target: 'resolved' },
        CONTINUE_INTERVENTION: { target: 'intervened' },
        REAUDIT: { target: 'identified' },
        CLOSE: { target: 'closed', actions: 'recordClose' },
      },
    },
    resolved: { type: 'final' },
    // Not an XState final state: an admin may reopen it within the window.
    closed: {
      on: { REOPEN: { guard: 'reopenOk', target: 'identified', actions: 'clearClose' } },
    },
  },
});

export type CaseMachine = typeof caseMachineV1;
