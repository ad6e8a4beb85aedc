import type { AggregateType } from '../../src/workflow/lifecycle.js';
import { WorkflowService } from '../../src/workflow/workflow.service.js';
import type { TestApp } from './test-app.js';

/** The raw stored rows of a case and its history, for byte-for-byte comparisons. */
export async function rawCase(t: TestApp, id: string): Promise<string> {
  const row = await t.sql('SELECT * FROM cases WHERE id = $1', [id]);
  const history = await t.sql('SELECT * FROM case_history WHERE case_id = $1 ORDER BY seq', [id]);
  return JSON.stringify({ row, history });
}

export const LIFECYCLES: AggregateType[] = ['case', 'task', 'intervention', 'accompaniment', 'aksi_document'];

/**
 * The invariant of persisted lifecycles: for every aggregate of `type`, its history is gapless
 * (seq 1..version), and replaying it through the machine gives exactly the stored snapshot and state.
 */
export async function checkEveryReplays(t: TestApp, type: AggregateType): Promise<number> {
  const workflow = t.app.get(WorkflowService);
  const def = workflow.definition(type);
  const rows = await t.sql<{ id: string; state: string; version: number; snapshot: unknown }>(`SELECT id, state, version, snapshot FROM ${def.table}`);
  for (const r of rows) {
    const history = (await t.sql<Record<string, unknown>>(`SELECT * FROM ${def.history} WHERE ${def.historyKey} = $1 ORDER BY seq`, [r.id])).map((h) => ({
      seq: h.seq as number,
      type: h.type as string,
      payload: h.payload as Record<string, unknown>,
      at: new Date(h.at as string),
      machineVersion: h.machine_version as number,
    }));
    const problem = (msg: string) => new Error(`${type} ${r.id}: ${msg}`);
    if (history.map((h) => h.seq).join() !== Array.from({ length: r.version }, (_, i) => i + 1).join()) {
      throw problem(`history seq ${history.map((h) => h.seq).join()} is not 1..${r.version}`);
    }
    const replayed = workflow.replay(type, history);
    if (JSON.stringify(replayed) !== JSON.stringify(r.snapshot) && !deepEqual(replayed, r.snapshot)) {
      throw problem(`replay gives ${JSON.stringify(replayed)}, stored ${JSON.stringify(r.snapshot)}`);
    }
    if (replayed.value !== r.state) throw problem(`state column ${r.state} but snapshot ${replayed.value}`);
  }
  return rows.length;
}

/** The replay invariant for cases, and for every other lifecycle alongside (their counts are not returned). */
export async function checkEveryCaseReplays(t: TestApp): Promise<number> {
  for (const type of LIFECYCLES.filter((l) => l !== 'case')) await checkEveryReplays(t, type);
  return checkEveryReplays(t, 'case');
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined).sort();
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined).sort();
  return ka.join() === kb.join() && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
