import { initialTransition, transition } from 'xstate';
import { persist, type PersistedSnapshot } from '../../workflow/snapshot.js';
import type { CaseHistoryEntity } from './case.entity.js';
import { caseMachine } from './machine/case-machines.js';
import type { CaseContext, CaseEvent } from './machine/case.types.js';

/** Entries that record something about a case without moving its lifecycle. */
export const NON_LIFECYCLE_ENTRIES = new Set(['ASSIGN']);

/** The machine event a history entry recorded. */
export function eventOf(entry: Pick<CaseHistoryEntity, 'type' | 'payload' | 'at'>): CaseEvent {
  return { ...(entry.payload as object), type: entry.type, at: entry.at.toISOString() } as CaseEvent;
}

/**
 * Folds a case's history through the machine versions it was recorded under. The stored
 * snapshot must always equal this: it is how history proves the state.
 */
export function replayCase(history: CaseHistoryEntity[]): PersistedSnapshot<CaseContext> {
  const [open, ...rest] = history;
  if (!open || open.type !== 'OPEN') throw new Error('a case history starts with OPEN');
  let [snapshot] = initialTransition(caseMachine(open.machineVersion), {
    identifiedAt: (open.payload as { identifiedAt: string }).identifiedAt,
  });
  for (const entry of rest) {
    if (NON_LIFECYCLE_ENTRIES.has(entry.type)) continue;
    const machine = caseMachine(entry.machineVersion);
    const [next] = transition(machine, snapshot, eventOf(entry));
    if (next === snapshot) throw new Error(`history entry ${entry.seq} (${entry.type}) does not apply`);
    snapshot = next;
  }
  return persist(snapshot);
}
