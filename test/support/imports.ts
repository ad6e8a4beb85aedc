import { generateEppgbm, HEADER } from '../../bench/gen-eppgbm.js';
import type { TestApp } from './test-app.js';

/** A generated e-PPGBM file in memory, with the field each bad row must be rejected for. */
export async function eppgbmFile(rows: number, seed = 7): Promise<{ csv: Buffer; faults: Map<number, string> }> {
  const lines = [HEADER];
  const faults = new Map<number, string>();
  for await (const row of generateEppgbm({ rows, seed })) {
    lines.push(row.line);
    if (row.fault) faults.set(lines.length, row.fault); // spreadsheet row number: the header is row 1
  }
  return { csv: Buffer.from(`${lines.join('\n')}\n`), faults };
}

/** Uploads and waits for the import to finish; returns its final status. */
export async function importFile(t: TestApp, headers: Record<string, string>, csv: Buffer, regencyCode = '3216') {
  const started = await t.http().post('/api/v1/imports/eppgbm').set(headers).field('regencyCode', regencyCode).attach('file', csv, 'eppgbm.csv');
  if (started.status !== 202) throw new Error(`upload: ${started.status} ${JSON.stringify(started.body)}`);
  for (;;) {
    const res = await t.http().get(`/api/v1/imports/${started.body.id}`).set(headers);
    if (res.body.status === 'done' || res.body.status === 'failed') return res.body;
    await new Promise((r) => setTimeout(r, 100));
  }
}
