import { describe, expect, it } from '@jest/globals';
import { transitionTable } from '../../../workflow/transition-table.js';
import { interventionMachineV1 } from './intervention.machine.js';
import { INTERVENTION_EVENT_TYPES, INTERVENTION_STATES, type InterventionContext } from './intervention.types.js';

const CONTEXT: InterventionContext = {
  proposedAt: '2026-10-01T00:00:00.000Z',
  approvedAt: '2026-10-02T00:00:00.000Z',
  firstDeliveredAt: null,
  completedAt: null,
  verifiedAt: null,
  reason: null,
};

/** An event of each type whose guard passes. */
const EVENTS: Record<string, Record<string, unknown>> = {
  APPROVE: { caseState: 'audited', sponsorCoversRegency: true },
  REJECT: { reason: 'no budget' },
  HOLD: { reason: 'stock out' },
  RESUME: {},
  COMPLETE: { deliveries: 3 },
  VERIFY: {},
  CANCEL: { reason: 'case closed' },
  DELIVER: { deliveredAt: '2026-10-05T00:00:00.000Z' },
};

const ALLOWED: Record<string, Record<string, string>> = {
  proposed: { APPROVE: 'approved', REJECT: 'rejected', CANCEL: 'cancelled' },
  approved: { DELIVER: 'active', CANCEL: 'cancelled' },
  active: { HOLD: 'on_hold', COMPLETE: 'completed', CANCEL: 'cancelled' },
  on_hold: { RESUME: 'active', CANCEL: 'cancelled' },
  completed: { VERIFY: 'verified' },
  verified: {},
  rejected: {},
  cancelled: {},
};

describe('intervention machine v1: every (state, event) pair', () => {
  const table = transitionTable(interventionMachineV1, INTERVENTION_STATES, EVENTS, CONTEXT);
  for (const state of INTERVENTION_STATES) {
    for (const event of [...INTERVENTION_EVENT_TYPES, 'DELIVER']) {
      const expected = ALLOWED[state][event] ?? null;
      it(`${state} + ${event} → ${expected ?? 'refused'}`, () => expect(table[state][event]).toBe(expected));
    }
  }

  it('its guards refuse with the machine too: approval of an unaudited case, completion without a delivery', () => {
    const refused = transitionTable(interventionMachineV1, ['proposed', 'active'], { APPROVE: { caseState: 'identified', sponsorCoversRegency: true }, COMPLETE: { deliveries: 0 } }, CONTEXT);
    expect(refused).toEqual({ proposed: { APPROVE: null, COMPLETE: null }, active: { APPROVE: null, COMPLETE: null } });
  });
});
