import { type AnyStateMachine, getNextTransitions, type SnapshotFrom } from 'xstate';

/** What is stored of a lifecycle: the state value and the context. No actors, no timers. */
export interface PersistedSnapshot<C = unknown> {
  value: string;
  context: C;
}

/**
 * Rebuilds a snapshot from stored columns. Plain JSON cannot go straight into `transition()`;
 * `resolveState` makes a full snapshot without starting anything.
 */
export function restore<M extends AnyStateMachine>(machine: M, stored: PersistedSnapshot): SnapshotFrom<M> {
  return machine.resolveState({ value: stored.value, context: stored.context as never }) as SnapshotFrom<M>;
}

export function persist<C>(snapshot: { value: unknown; context: C }): PersistedSnapshot<C> {
  if (typeof snapshot.value !== 'string') throw new Error('lifecycles are flat: a state value is a string');
  return JSON.parse(JSON.stringify({ value: snapshot.value, context: snapshot.context })) as PersistedSnapshot<C>;
}

/** The event types the current state has a transition for, guards aside. */
export function eventsOf(snapshot: SnapshotFrom<AnyStateMachine>): string[] {
  return [...new Set(getNextTransitions(snapshot).map((t) => t.eventType))].filter((t) => !t.startsWith('xstate.'));
}
