import { assign, setup } from 'xstate';
import type { TaskContext, TaskEvent, TaskInput } from './task.types.js';

/**
 * Version 1 of an OPD follow-up task (RTL): assigned → acknowledged → in_progress → done →
 * verified; declined (wrong OPD) → closed once the case manager reassigns it; cancelled from
 * any open state but done. Pure: deadlines live in the database, guards read no clock.
 */
export const taskMachineV1 = setup({
  types: { context: {} as TaskContext, events: {} as TaskEvent, input: {} as TaskInput },
  actions: {
    acknowledge: assign(({ event }) => ({ acknowledgedAt: event.at })),
    start: assign(({ event }) => ({ startedAt: event.at })),
    complete: assign(({ event }) => (event.type === 'COMPLETE' ? { completedAt: event.at, completion: { note: event.note, evidence: event.evidence } } : {})),
    verify: assign(({ event }) => ({ verifiedAt: event.at })),
    decline: assign(({ event }) => (event.type === 'DECLINE' ? { declinedAt: event.at, declineReason: event.reason } : {})),
    cancel: assign(({ event }) => (event.type === 'CANCEL' ? { cancelReason: event.reason } : {})),
    reassign: assign(({ event }) => (event.type === 'REASSIGN' ? { reassignedTo: event.newTaskId } : {})),
  },
}).createMachine({
  id: 'task',
  version: '1',
  initial: 'assigned',
  // Evaluated without input for the inert actor behind every pure transition(): must not throw.
  context: ({ input }) => ({
    assignedAt: input?.assignedAt ?? '',
    acknowledgedAt: null,
    startedAt: null,
    completedAt: null,
    completion: null,
    verifiedAt: null,
    declinedAt: null,
    declineReason: null,
    cancelReason: null,
    reassignedTo: null,
  }),
  states: {
    assigned: {
      on: {
        ACKNOWLEDGE: { target: 'acknowledged', actions: 'acknowledge' },
        DECLINE: { target: 'declined', actions: 'decline' },
        CANCEL: { target: 'cancelled', actions: 'cancel' },
      },
    },
    acknowledged: {
      on: {
        START: { target: 'in_progress', actions: 'start' },
        DECLINE: { target: 'declined', actions: 'decline' },
        CANCEL: { target: 'cancelled', actions: 'cancel' },
      },
    },
    in_progress: {
      on: {
        COMPLETE: { target: 'done', actions: 'complete' },
        CANCEL: { target: 'cancelled', actions: 'cancel' },
      },
    },
    done: { on: { VERIFY: { target: 'verified', actions: 'verify' } } },
    declined: {
      on: {
        REASSIGN: { target: 'closed', actions: 'reassign' },
        CANCEL: { target: 'cancelled', actions: 'cancel' },
      },
    },
    verified: { type: 'final' },
    closed: { type: 'final' },
    cancelled: { type: 'final' },
  },
});

export type TaskMachine = typeof taskMachineV1;

/** Every released version; never edit one in place, add the next. */
export const TASK_MACHINES: Readonly<Record<number, TaskMachine>> = { 1: taskMachineV1 };
export const LATEST_TASK_MACHINE = 1;

export function taskMachine(version: number): TaskMachine {
  const machine = TASK_MACHINES[version];
  if (!machine) throw new Error(`no task machine version ${version}`);
  return machine;
}
