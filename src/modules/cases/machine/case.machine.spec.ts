import { describe, expect, it } from '@jest/globals';
import { initialTransition, transition } from 'xstate';
import { eventsOf, persist, restore } from '../../../workflow/snapshot.js';
import { caseMachineV1, guardProblems } from './case.machine.js';
import { CASE_MACHINES } from './case-machines.js';
import { CASE_EVENT_TYPES, CASE_STATES, type CaseContext, type CaseEvent, type CaseEventType, type CaseState } from './case.types.js';

const AT = '2026-11-23T03:00:00.000Z';
const CONTEXT: CaseContext = {
  identifiedAt: '2026-06-01T00:00:00.000Z',
  auditedAt: '2026-07-01T00:00:00.000Z',
  cycle: '2026-S2',
  interventionStartedAt: '2026-08-01T00:00:00.000Z',
  lastMeasuredAt: '2026-09-01T00:00:00.000Z',
  closedAt: '2026-11-20T00:00:00.000Z',
  closeReason: 'moved_away',
};

/** An event of each type whose guard passes against CONTEXT. */
const VALID: Record<CaseEventType, CaseEvent> = {
  RECORD_AUDIT: {
    type: 'RECORD_AUDIT',
    at: AT,
    auditedAt: '2026-11-01T00:00:00.000Z',
    cycle: '2026-S2',
    causes: ['INADEQUATE_INTAKE'],
    recommendations: [{ action: 'PMT 90 hari', opdCode: 'DINKES' }],
    experts: [{ specialty: 'SpA' }],
  },
  START_INTERVENTION: { type: 'START_INTERVENTION', at: AT, startedAt: '2026-11-02T00:00:00.000Z', description: 'PMT' },
  RECORD_REMEASUREMENT: { type: 'RECORD_REMEASUREMENT', at: AT, measuredAt: '2026-11-10T00:00:00.000Z', heightCm: 80.1, method: 'recumbent' },
  RESOLVE: { type: 'RESOLVE', at: AT, note: 'ok', latestHaz: -1.9, baselineHaz: -2.4, policy: { minHaz: -2, minImprovement: 0.5 } },
  CONTINUE_INTERVENTION: { type: 'CONTINUE_INTERVENTION', at: AT, note: 'more' },
  REAUDIT: { type: 'REAUDIT', at: AT, note: 'again' },
  CLOSE: { type: 'CLOSE', at: AT, reason: 'deceased', note: 'sad' },
  REOPEN: { type: 'REOPEN', at: AT, note: 'closed by mistake' },
};

/** The whole transition table: (state, event) → next state; anything missing is refused. */
const ALLOWED: Partial<Record<CaseState, Partial<Record<CaseEventType, CaseState>>>> = {
  identified: { RECORD_AUDIT: 'audited', CLOSE: 'closed' },
  audited: { START_INTERVENTION: 'intervened', CLOSE: 'closed' },
  intervened: { RECORD_REMEASUREMENT: 'remeasured', CLOSE: 'closed' },
  remeasured: { RESOLVE: 'resolved', CONTINUE_INTERVENTION: 'intervened', REAUDIT: 'identified', CLOSE: 'closed' },
  resolved: {},
  closed: { REOPEN: 'identified' },
};

const at = (state: CaseState) => restore(caseMachineV1, { value: state, context: CONTEXT });

describe('case machine v1', () => {
  const pairs = CASE_STATES.flatMap((s) => CASE_EVENT_TYPES.map((e) => [s, e] as const));

  it.each(pairs)('%s + %s', (state, type) => {
    const snapshot = at(state);
    const target = ALLOWED[state]?.[type];
    const [next] = transition(caseMachineV1, snapshot, VALID[type]);
    if (target) {
      expect(snapshot.can(VALID[type])).toBe(true);
      expect(next.value).toBe(target);
      expect(eventsOf(snapshot)).toContain(type);
    } else {
      expect(snapshot.can(VALID[type])).toBe(false);
      expect(next).toBe(snapshot);
      expect(eventsOf(snapshot)).not.toContain(type);
    }
  });

  it('lists exactly the table events for each state', () => {
    for (const state of CASE_STATES) expect(eventsOf(at(state)).sort()).toEqual(Object.keys(ALLOWED[state] ?? {}).sort());
  });

  it('resolved is final', () => {
    expect(at('resolved').status).toBe('done');
  });

  it.each([
    ['RECORD_AUDIT', 'identified', { auditedAt: '2026-12-01T00:00:00.000Z' }, 'auditedAt is in the future'],
    ['RECORD_AUDIT', 'identified', { auditedAt: '2026-05-01T00:00:00.000Z' }, 'before the case was identified'],
    ['START_INTERVENTION', 'audited', { startedAt: '2026-06-15T00:00:00.000Z' }, 'before the audit'],
    ['START_INTERVENTION', 'audited', { startedAt: '2027-01-01T00:00:00.000Z' }, 'in the future'],
    ['RECORD_REMEASUREMENT', 'intervened', { measuredAt: '2026-07-31T23:59:59.000Z' }, 'before the intervention started'],
    ['RECORD_REMEASUREMENT', 'intervened', { measuredAt: '2026-11-24T00:00:00.000Z' }, 'in the future'],
    ['RESOLVE', 'remeasured', { latestHaz: -2.3, baselineHaz: -2.6 }, 'outcome policy is not met'],
    ['REOPEN', 'closed', { at: '2026-12-21T00:00:00.000Z' }, 'within 30 days'],
  ] as const)('%s in %s is refused by its guard: %j', (type, state, change, reason) => {
    const event = { ...VALID[type], ...change } as CaseEvent;
    const snapshot = at(state);
    expect(snapshot.can(event)).toBe(false);
    const problem = (guardProblems[type as keyof typeof guardProblems] as (c: CaseContext, e: CaseEvent) => string | null)(CONTEXT, event);
    expect(problem).toContain(reason);
  });

  it('resolves on improvement alone, below the HAZ threshold', () => {
    const event = { ...VALID.RESOLVE, latestHaz: -2.5, baselineHaz: -3.0 } as CaseEvent;
    expect(transition(caseMachineV1, at('remeasured'), event)[0].value).toBe('resolved');
  });

  it('records what guards later need, and clears a close on reopen', () => {
    const [opened] = initialTransition(caseMachineV1, { identifiedAt: CONTEXT.identifiedAt });
    expect(opened.value).toBe('identified');
    const [audited] = transition(caseMachineV1, opened, VALID.RECORD_AUDIT);
    expect(audited.context).toMatchObject({ auditedAt: '2026-11-01T00:00:00.000Z', cycle: '2026-S2' });
    const [closed] = transition(caseMachineV1, audited, VALID.CLOSE);
    expect(closed.context).toMatchObject({ closedAt: AT, closeReason: 'deceased' });
    const [reopened] = transition(caseMachineV1, closed, { ...VALID.REOPEN, at: '2026-11-25T00:00:00.000Z' } as CaseEvent);
    expect(reopened.value).toBe('identified');
    expect(reopened.context).toMatchObject({ closedAt: null, closeReason: null, auditedAt: '2026-11-01T00:00:00.000Z' });
  });

  it('restores a snapshot persisted by version 1 and moves on from it', () => {
    // Frozen: the stored form written by v1. Later versions must keep these rows working.
    const storedV1 = JSON.parse(
      '{"value":"intervened","context":{"identifiedAt":"2026-06-01T00:00:00.000Z","auditedAt":"2026-07-01T00:00:00.000Z",' +
        '"cycle":"2026-S2","interventionStartedAt":"2026-08-01T00:00:00.000Z","lastMeasuredAt":null,"closedAt":null,"closeReason":null}}',
    );
    const machine = CASE_MACHINES[1];
    const snapshot = restore(machine, storedV1);
    expect(persist(snapshot)).toEqual(storedV1);
    const [next] = transition(machine, snapshot, VALID.RECORD_REMEASUREMENT);
    expect(persist(next)).toMatchObject({ value: 'remeasured', context: { lastMeasuredAt: '2026-11-10T00:00:00.000Z' } });
  });
});
