import { assign, setup } from 'xstate';

/**
 * An open target's accompaniment (pendampingan): the pregnancy, the post-partum weeks, a child
 * under two, a bride-to-be, a child under five to follow up after an early warning. Pure: the schedule (regency data) turns its context into the next
 * due visit, a step in step_deadlines; a visit records the day and moves the step on.
 */
/** The target groups the visit schedule covers (schedule.ts keys its rules by them). */
export type ScheduledGroup = 'BUMIL' | 'NIFAS' | 'BADUTA' | 'CATIN' | 'BALITA';

export interface AccompanimentFacts {
  /** BUMIL: the last menstrual period implied by the recorded gestational age. */
  lmp?: string;
  /** NIFAS: the delivery day. */
  deliveredOn?: string;
  /** BADUTA: the child's birth date. */
  birthDate?: string;
  /** CATIN: the planned marriage and whether the last screening was BERISIKO. */
  marriageOn?: string;
  atRisk?: boolean;
}

export interface AccompanimentContext extends AccompanimentFacts {
  group: ScheduledGroup;
  openedOn: string;
  /** Days visited, ascending. */
  visits: string[];
  closedReason: string | null;
}

export interface AccompanimentInput extends AccompanimentFacts {
  group: ScheduledGroup;
  openedOn: string;
}

export type AccompanimentEvent =
  | { type: 'VISIT'; on: string; visitId: string }
  | { type: 'UPDATE'; facts: AccompanimentFacts }
  | { type: 'CLOSE'; reason: 'COMPLETED' | 'ENDED' | 'REPLACED' };

export const accompanimentMachineV1 = setup({
  types: { context: {} as AccompanimentContext, events: {} as AccompanimentEvent, input: {} as AccompanimentInput },
  actions: {
    visit: assign(({ context, event }) => (event.type === 'VISIT' ? { visits: [...context.visits, event.on].sort() } : {})),
    update: assign(({ event }) => (event.type === 'UPDATE' ? { ...event.facts } : {})),
    close: assign(({ event }) => (event.type === 'CLOSE' ? { closedReason: event.reason } : {})),
  },
}).createMachine({
  id: 'accompaniment',
  version: '1',
  initial: 'open',
  // Evaluated without input for the inert actor behind every pure transition(): must not throw.
  context: ({ input }) => ({
    group: input?.group ?? 'BADUTA',
    openedOn: input?.openedOn ?? '',
    lmp: input?.lmp,
    deliveredOn: input?.deliveredOn,
    birthDate: input?.birthDate,
    marriageOn: input?.marriageOn,
    atRisk: input?.atRisk,
    visits: [],
    closedReason: null,
  }),
  states: {
    open: {
      on: {
        VISIT: { actions: 'visit' },
        UPDATE: { actions: 'update' },
        CLOSE: { target: 'closed', actions: 'close' },
      },
    },
    closed: { type: 'final' },
  },
});

export type AccompanimentMachine = typeof accompanimentMachineV1;
export const ACCOMPANIMENT_MACHINES: Readonly<Record<number, AccompanimentMachine>> = { 1: accompanimentMachineV1 };
export const LATEST_ACCOMPANIMENT_MACHINE = 1;
