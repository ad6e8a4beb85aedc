import { describe, expect, it } from '@jest/globals';
import { transitionTable } from '../../../workflow/transition-table.js';
import { taskMachineV1 } from './task.machine.js';
import { TASK_EVENT_TYPES, TASK_STATES, type TaskContext } from './task.types.js';

const CONTEXT: TaskContext = {
  assignedAt: '2026-11-01T00:00:00.000Z',
  acknowledgedAt: null,
  startedAt: null,
  completedAt: null,
  completion: null,
  verifiedAt: null,
  declinedAt: null,
  declineReason: null,
  cancelReason: null,
  reassignedTo: null,
};

const EVENTS: Record<(typeof TASK_EVENT_TYPES)[number], Record<string, unknown>> = {
  ACKNOWLEDGE: {},
  START: {},
  COMPLETE: { note: 'done', evidence: [{ kind: 'note', description: 'PMT given' }] },
  DECLINE: { reason: 'not ours' },
  VERIFY: {},
  CANCEL: { reason: 'case closed' },
  REASSIGN: { opdCode: 'DINSOS', newTaskId: '00000000-0000-4000-8000-000000000001' },
};

/** The whole table: every pair not listed is refused (the state stays). */
const ALLOWED: Record<string, Record<string, string>> = {
  assigned: { ACKNOWLEDGE: 'acknowledged', DECLINE: 'declined', CANCEL: 'cancelled' },
  acknowledged: { START: 'in_progress', DECLINE: 'declined', CANCEL: 'cancelled' },
  in_progress: { COMPLETE: 'done', CANCEL: 'cancelled' },
  done: { VERIFY: 'verified' },
  declined: { REASSIGN: 'closed', CANCEL: 'cancelled' },
  verified: {},
  closed: {},
  cancelled: {},
};

describe('task machine v1: every (state, event) pair', () => {
  const table = transitionTable(taskMachineV1, TASK_STATES, EVENTS, CONTEXT);
  for (const state of TASK_STATES) {
    for (const event of TASK_EVENT_TYPES) {
      const expected = ALLOWED[state][event] ?? null;
      it(`${state} + ${event} → ${expected ?? 'refused'}`, () => expect(table[state][event]).toBe(expected));
    }
  }
});
