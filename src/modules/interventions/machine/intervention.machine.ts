import { assign, setup } from 'xstate';
import type { InterventionContext, InterventionEvent, InterventionInput } from './intervention.types.js';

type EventOf<T extends InterventionEvent['type']> = Extract<InterventionEvent, { type: T }>;

/** Why an event may not happen, or null: the machine's guards, and the API's 422 reasons. */
export const interventionGuardProblems = {
  APPROVE(_c: InterventionContext, e: EventOf<'APPROVE'>): string | null {
    if (e.caseState !== 'audited' && e.caseState !== 'intervened') return `only an audited or intervened case can receive an intervention; this case is ${e.caseState}`;
    if (!e.sponsorCoversRegency) return "the sponsor does not fund the case's regency";
    return null;
  },
  COMPLETE(_c: InterventionContext, e: EventOf<'COMPLETE'>): string | null {
    return e.deliveries >= 1 ? null : 'an intervention is complete only after at least one delivery';
  },
} satisfies Partial<{ [T in InterventionEvent['type']]: (c: InterventionContext, e: EventOf<T>) => string | null }>;

const passes =
  <T extends keyof typeof interventionGuardProblems>(type: T) =>
  ({ context, event }: { context: InterventionContext; event: InterventionEvent }) =>
    event.type === type && (interventionGuardProblems[type] as (c: InterventionContext, e: InterventionEvent) => string | null)(context, event) === null;

/**
 * Version 1 of a (CSR-funded) intervention: proposed → approved → active → completed → verified;
 * rejected from proposed; active ↔ on_hold; cancelled before completion. The first delivery
 * makes an approved intervention active. Pure: no clock, no effects.
 */
export const interventionMachineV1 = setup({
  types: { context: {} as InterventionContext, events: {} as InterventionEvent, input: {} as InterventionInput },
  guards: { approveOk: passes('APPROVE'), completeOk: passes('COMPLETE') },
  actions: {
    approve: assign(({ event }) => ({ approvedAt: event.at })),
    deliver: assign(({ event }) => (event.type === 'DELIVER' ? { firstDeliveredAt: event.deliveredAt } : {})),
    complete: assign(({ event }) => ({ completedAt: event.at })),
    verify: assign(({ event }) => ({ verifiedAt: event.at })),
    reason: assign(({ event }) => ('reason' in event ? { reason: event.reason } : {})),
  },
}).createMachine({
  id: 'intervention',
  version: '1',
  initial: 'proposed',
  context: ({ input }) => ({
    proposedAt: input?.proposedAt ?? '',
    approvedAt: null,
    firstDeliveredAt: null,
    completedAt: null,
    verifiedAt: null,
    reason: null,
  }),
  states: {
    proposed: {
      on: {
        APPROVE: { guard: 'approveOk', target: 'approved', actions: 'approve' },
        REJECT: { target: 'rejected', actions: 'reason' },
        CANCEL: { target: 'cancelled', actions: 'reason' },
      },
    },
    approved: {
      on: {
        DELIVER: { target: 'active', actions: 'deliver' },
        CANCEL: { target: 'cancelled', actions: 'reason' },
      },
    },
    active: {
      on: {
        HOLD: { target: 'on_hold', actions: 'reason' },
        COMPLETE: { guard: 'completeOk', target: 'completed', actions: 'complete' },
        CANCEL: { target: 'cancelled', actions: 'reason' },
      },
    },
    on_hold: {
      on: {
        RESUME: { target: 'active' },
        CANCEL: { target: 'cancelled', actions: 'reason' },
      },
    },
    completed: { on: { VERIFY: { target: 'verified', actions: 'verify' } } },
    verified: { type: 'final' },
    rejected: { type: 'final' },
    cancelled: { type: 'final' },
  },
});

export type InterventionMachine = typeof interventionMachineV1;
export const INTERVENTION_MACHINES: Readonly<Record<number, InterventionMachine>> = { 1: interventionMachineV1 };
export const LATEST_INTERVENTION_MACHINE = 1;

export function interventionMachine(version: number): InterventionMachine {
  const machine = INTERVENTION_MACHINES[version];
  if (!machine) throw new Error(`no intervention machine version ${version}`);
  return machine;
}
