export const TASK_STATES = ['assigned', 'acknowledged', 'in_progress', 'done', 'verified', 'declined', 'closed', 'cancelled'] as const;
export type TaskState = (typeof TASK_STATES)[number];
/** States a task never leaves. */
export const FINAL_TASK_STATES: readonly TaskState[] = ['verified', 'closed', 'cancelled'];

export const TASK_EVENT_TYPES = ['ACKNOWLEDGE', 'START', 'COMPLETE', 'DECLINE', 'VERIFY', 'CANCEL', 'REASSIGN'] as const;
export type TaskEventType = (typeof TASK_EVENT_TYPES)[number];

export const EVIDENCE_KINDS = ['photo', 'document', 'link', 'note'] as const;

export interface Evidence {
  kind: (typeof EVIDENCE_KINDS)[number];
  description: string;
  url?: string;
}

export interface TaskContext {
  assignedAt: string;
  acknowledgedAt: string | null;
  startedAt: string | null;
  completedAt: string | null;
  completion: { note: string; evidence: Evidence[] } | null;
  verifiedAt: string | null;
  declinedAt: string | null;
  declineReason: string | null;
  cancelReason: string | null;
  /** The task that took over after a decline. */
  reassignedTo: string | null;
}

export interface TaskInput {
  assignedAt: string;
}

/** Every event carries `at`, the server's time when it was accepted. */
interface Timed {
  at: string;
}

export type TaskEvent = Timed &
  (
    | { type: 'ACKNOWLEDGE'; note?: string }
    | { type: 'START'; note?: string }
    | { type: 'COMPLETE'; note: string; evidence: Evidence[] }
    | { type: 'DECLINE'; reason: string }
    | { type: 'VERIFY'; note?: string }
    | { type: 'CANCEL'; reason: string }
    | { type: 'REASSIGN'; opdCode: string; newTaskId: string; note?: string }
  );
