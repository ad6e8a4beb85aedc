export const CASE_STATES = ['identified', 'audited', 'intervened', 'remeasured', 'resolved', 'closed'] as const;
export type CaseState = (typeof CASE_STATES)[number];
/** States a case no longer moves out of by itself; `closed` can still be reopened by an admin. */
export const FINISHED_STATES: readonly CaseState[] = ['resolved', 'closed'];
/** States that have a step deadline. */
export type OpenState = 'identified' | 'audited' | 'intervened' | 'remeasured';
export const OPEN_STATES: readonly OpenState[] = ['identified', 'audited', 'intervened', 'remeasured'];

export const CLOSE_REASONS = ['moved_away', 'deceased', 'aged_out', 'duplicate', 'measurement_error', 'consent_withdrawn', 'transferred'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

export const EXPERT_SPECIALTIES = ['SpA', 'SpOG', 'GIZI', 'PSIKOLOG', 'OTHER'] as const;
export type ExpertSpecialty = (typeof EXPERT_SPECIALTIES)[number];

export const REOPEN_WINDOW_DAYS = 30;

export interface OutcomePolicy {
  /** Resolved when the latest HAZ is at least this... */
  minHaz: number;
  /** ...or when it rose by at least this since identification. */
  minImprovement: number;
}

export interface CaseContext {
  identifiedAt: string;
  auditedAt: string | null;
  cycle: string | null;
  interventionStartedAt: string | null;
  lastMeasuredAt: string | null;
  closedAt: string | null;
  closeReason: CloseReason | null;
}

export interface CaseInput {
  identifiedAt: string;
}

/** Every event carries `at`, the server's time when it was accepted: guards never read a clock. */
interface Timed {
  at: string;
}

export interface Recommendation {
  action: string;
  opdCode: string;
  dueInDays?: number;
}

export interface Expert {
  specialty: ExpertSpecialty;
  name?: string;
}

export type CaseEvent = Timed &
  (
    | { type: 'RECORD_AUDIT'; auditedAt: string; cycle: string; causes: string[]; recommendations: Recommendation[]; experts: Expert[] }
    | { type: 'START_INTERVENTION'; startedAt: string; description: string }
    | { type: 'RECORD_REMEASUREMENT'; measuredAt: string; heightCm: number; weightKg?: number; method: 'recumbent' | 'standing' }
    | { type: 'RESOLVE'; note: string; latestHaz: number; baselineHaz: number; policy: OutcomePolicy }
    | { type: 'CONTINUE_INTERVENTION'; note: string }
    | { type: 'REAUDIT'; note: string }
    | { type: 'CLOSE'; reason: CloseReason; note: string }
    | { type: 'REOPEN'; note: string }
  );

export type CaseEventType = CaseEvent['type'];
export const CASE_EVENT_TYPES: readonly CaseEventType[] = [
  'RECORD_AUDIT',
  'START_INTERVENTION',
  'RECORD_REMEASUREMENT',
  'RESOLVE',
  'CONTINUE_INTERVENTION',
  'REAUDIT',
  'CLOSE',
  'REOPEN',
];
