import { type AnyStateMachine, transition } from 'xstate';
import { restore } from './snapshot.js';

/**
 * Every (state, event) pair of a flat machine: the state it moves to, or null when refused. For
 * table-driven specs that pin a lifecycle's whole transition table.
 */
export function transitionTable(
  machine: AnyStateMachine,
  states: readonly string[],
  events: Record<string, Record<string, unknown>>,
  context: unknown,
): Record<string, Record<string, string | null>> {
  const out: Record<string, Record<string, string | null>> = {};
  for (const state of states) {
    out[state] = {};
    const from = restore(machine, { value: state, context });
    for (const [type, event] of Object.entries(events)) {
      const [next] = transition(machine, from, { ...event, type, at: '2026-11-23T03:00:00.000Z' } as never);
      out[state][type] = next === from ? null : (next.value as string);
    }
  }
  return out;
}
