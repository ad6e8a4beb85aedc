import type { HistoryEntry } from '../../workflow/lifecycle.js';
import type { PersistedSnapshot } from '../../workflow/snapshot.js';
import { replayHistory } from '../../workflow/workflow.service.js';
import { caseMachine } from './machine/case-machines.js';
import type { CaseContext } from './machine/case.types.js';

/** The case lifecycle as replay needs it, without Nest (the fault scripts read stored rows directly). */
export const CASE_REPLAY = {
  machine: caseMachine,
  inputOf: (first: Pick<HistoryEntry, 'payload'>) => ({ identifiedAt: first.payload.identifiedAt as string }),
  records: ['ASSIGN'],
};

/**
 * Folds a case's history through the machine versions it was recorded under. The stored
 * snapshot must always equal this: it is how history proves the state.
 */
export function replayCase(history: Pick<HistoryEntry, 'seq' | 'type' | 'payload' | 'at' | 'machineVersion'>[]): PersistedSnapshot<CaseContext> {
  if (history[0]?.type !== 'OPEN') throw new Error('a case history starts with OPEN');
  return replayHistory(CASE_REPLAY, history) as PersistedSnapshot<CaseContext>;
}
