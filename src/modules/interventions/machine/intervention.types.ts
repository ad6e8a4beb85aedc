export const INTERVENTION_STATES = ['proposed', 'approved', 'active', 'on_hold', 'completed', 'verified', 'rejected', 'cancelled'] as const;
export type InterventionState = (typeof INTERVENTION_STATES)[number];
export const FINAL_INTERVENTION_STATES: readonly InterventionState[] = ['verified', 'rejected', 'cancelled'];

/** Events a client sends; DELIVER is sent by a delivery being logged. */
export const INTERVENTION_EVENT_TYPES = ['APPROVE', 'REJECT', 'HOLD', 'RESUME', 'COMPLETE', 'VERIFY', 'CANCEL'] as const;
export type InterventionEventType = (typeof INTERVENTION_EVENT_TYPES)[number] | 'DELIVER';

export interface InterventionContext {
  proposedAt: string;
  approvedAt: string | null;
  firstDeliveredAt: string | null;
  completedAt: string | null;
  verifiedAt: string | null;
  reason: string | null;
}

export interface InterventionInput {
  proposedAt: string;
}

interface Timed {
  at: string;
}

export type InterventionEvent = Timed &
  (
    | { type: 'APPROVE'; caseState: string; sponsorCoversRegency: boolean; note?: string }
    | { type: 'REJECT'; reason: string }
    | { type: 'HOLD'; reason: string }
    | { type: 'RESUME'; note?: string }
    | { type: 'COMPLETE'; deliveries: number; note?: string }
    | { type: 'VERIFY'; note?: string }
    | { type: 'CANCEL'; reason: string }
    | { type: 'DELIVER'; deliveredAt: string }
  );
