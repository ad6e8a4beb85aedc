import { replayCase } from '../../src/modules/cases/case-replay.js';
import type { CaseHistoryEntity } from '../../src/modules/cases/case.entity.js';
import type { TestApp } from './test-app.js';

/** The raw stored rows of a case and its history, for byte-for-byte comparisons. */
export async function rawCase(t: TestApp, id: string): Promise<string> {
  const row = await t.sql('SELECT * FROM cases WHERE id = $1', [id]);
  const history = await t.sql('SELECT * FROM case_history WHERE case_id = $1 ORDER BY seq', [id]);
  return JSON.stringify({ row, history });
}

/**
 * The invariant of persisted lifecycles: for every case, its history is gapless (seq 1..version),
 * and replaying it through the machine gives exactly the stored snapshot and state.
 */
export async function checkEveryCaseReplays(t: TestApp): Promise<number> {
  const cases = await t.sql<{ id: string; state: string; version: number; snapshot: unknown }>('SELECT id, state, version, snapshot FROM cases');
  for (const c of cases) {
    const rows = await t.sql<Record<string, unknown>>('SELECT * FROM case_history WHERE case_id = $1 ORDER BY seq', [c.id]);
    const history = rows.map(
      (r) =>
        ({
          caseId: r.case_id,
          seq: r.seq,
          type: r.type,
          payload: r.payload,
          at: new Date(r.at as string),
          machineVersion: r.machine_version,
        }) as unknown as CaseHistoryEntity,
    );
    const problem = (msg: string) => new Error(`case ${c.id}: ${msg}`);
    if (history.map((h) => h.seq).join() !== Array.from({ length: c.version }, (_, i) => i + 1).join()) {
      throw problem(`history seq ${history.map((h) => h.seq).join()} is not 1..${c.version}`);
    }
    const replayed = replayCase(history);
    if (JSON.stringify(replayed) !== JSON.stringify(c.snapshot) && !deepEqual(replayed, c.snapshot)) {
      throw problem(`replay gives ${JSON.stringify(replayed)}, stored ${JSON.stringify(c.snapshot)}`);
    }
    if (replayed.value !== c.state) throw problem(`state column ${c.state} but snapshot ${replayed.value}`);
  }
  return cases.length;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.join() === kb.join() && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
