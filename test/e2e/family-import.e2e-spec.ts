import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FAMILY_HEADER, generateFamilies } from '../../bench/gen-families.js';
import { ADMIN, createTestApp, login, type TestApp } from '../support/test-app.js';
import { bearer } from '../support/world.js';

const ROWS = 3000;

async function familyFile(rows: number, period = '2024-2', seed = 5): Promise<{ csv: Buffer; faults: Map<number, string>; lines: string[] }> {
  const lines = [FAMILY_HEADER];
  const faults = new Map<number, string>();
  for await (const r of generateFamilies({ rows, seed, period })) {
    lines.push(r.line);
    if (r.fault) faults.set(lines.length, r.fault);
  }
  // As Excel saves it: BOM, `;`, CRLF.
  return { csv: Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`), faults, lines };
}

async function upload(t: TestApp, token: string, csv: Buffer) {
  const started = await t.http().post('/api/v1/imports/families').set(bearer(token)).field('regencyCode', '3216').field('source', 'VERVAL').attach('file', csv, 'verval-krs.csv');
  if (started.status !== 202) throw new Error(`upload: ${started.status} ${JSON.stringify(started.body)}`);
  expect(started.body.kind).toBe('families');
  for (;;) {
    const res = await t.http().get(`/api/v1/imports/${started.body.id}`).set(bearer(token));
    if (res.body.status === 'done' || res.body.status === 'failed') return res.body;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('PK/Verval family import', () => {
  let t: TestApp;
  let token: string;
  let file: Awaited<ReturnType<typeof familyFile>>;

  beforeAll(async () => {
    t = await createTestApp();
    token = await login(t, ADMIN.username, ADMIN.password);
    file = await familyFile(ROWS);
  }, 240_000);
  afterAll(async () => {
    await t?.close();
  });

  it('imports each family with its assessment, and names the field of every bad row', async () => {
    const job = await upload(t, token, file.csv);
    expect(job).toMatchObject({ status: 'done', rowsRead: ROWS, rowsTaken: ROWS - file.faults.size, rowsDuplicate: 0, rowsRejected: file.faults.size });
    expect(file.faults.size).toBeGreaterThan(10);
    const rejected = new Map<number, Set<string>>();
    for (const r of job.rejections as { row: number; field: string }[]) rejected.set(r.row, (rejected.get(r.row) ?? new Set()).add(r.field));
    for (const [row, field] of file.faults) expect([row, [...(rejected.get(row) ?? [])]]).toEqual([row, expect.arrayContaining([field])]);
    expect([...rejected.keys()].sort((a, b) => a - b)).toEqual([...file.faults.keys()].sort((a, b) => a - b));
    const [counts] = await t.sql<{ families: string; assessments: string }>(
      `SELECT (SELECT count(*) FROM families) AS families, (SELECT count(*) FROM krs_assessments WHERE year = 2024 AND round = 2) AS assessments`,
    );
    expect(Number(counts.families)).toBe(ROWS - file.faults.size);
    expect(Number(counts.assessments)).toBe(ROWS - file.faults.size);
  });

  it("keeps the file's own KRS flag where it has one, and judges the rest by the policy", async () => {
    // Row 2 onward are families; compare each stored assessment with the line it came from.
    const stored = await t.sql<{ head_name: string; rt: string; is_krs: boolean; imported_flag: boolean | null; transition: string }>(
      `SELECT f.head_name, f.rt, a.is_krs, a.imported_flag, a.transition FROM krs_assessments a JOIN families f ON f.id = a.family_id`,
    );
    const flagged = stored.filter((s) => s.imported_flag !== null);
    expect(flagged.length).toBeGreaterThan(ROWS * 0.4);
    for (const s of flagged) expect(s.is_krs).toBe(s.imported_flag);
    expect(new Set(stored.map((s) => s.transition))).toEqual(new Set(['BARU', 'TETAP_NON']));
    const krs = stored.filter((s) => s.is_krs).length / stored.length;
    expect(krs).toBeGreaterThan(0.1);
    expect(krs).toBeLessThan(0.4);
  });

  it('imports again with nothing added', async () => {
    const again = await upload(t, token, file.csv);
    expect(again).toMatchObject({ status: 'done', rowsRead: ROWS, rowsTaken: 0, rowsDuplicate: ROWS - file.faults.size, rowsRejected: file.faults.size });
    const [counts] = await t.sql<{ families: string; assessments: string }>(
      `SELECT (SELECT count(*) FROM families) AS families, (SELECT count(*) FROM krs_assessments) AS assessments`,
    );
    expect(Number(counts.families)).toBe(ROWS - file.faults.size);
    expect(Number(counts.assessments)).toBe(ROWS - file.faults.size);
  });

  it('the next period of the same families carries their KRS status over (LAMA) or ends it (KELUAR)', async () => {
    const next = await familyFile(200, '2025-1', 6);
    const job = await upload(t, token, next.csv);
    expect(job.rowsTaken).toBe(200 - next.faults.size);
    const transitions = await t.sql<{ transition: string; before: boolean; now: boolean }>(
      `SELECT b.transition, a.is_krs AS before, b.is_krs AS now FROM krs_assessments b
         JOIN krs_assessments a ON a.family_id = b.family_id AND a.year = 2024 AND a.round = 2
        WHERE b.year = 2025 AND b.round = 1`,
    );
    expect(transitions.length).toBeGreaterThan(150);
    const expected = (before: boolean, now: boolean) => (now ? (before ? 'LAMA' : 'BARU') : before ? 'KELUAR' : 'TETAP_NON');
    for (const r of transitions) expect(r.transition).toBe(expected(r.before, r.now));
  });

  it('a file without the needed columns fails with their names, and nothing is written', async () => {
    const job = await upload(t, token, Buffer.from('nama;alamat\nBudi;Tambun\n'));
    expect(job.status).toBe('failed');
    expect(job.error).toBe('the file has no column for: familyCardNumber, headName, villageCode, periode (or tahun)');
  });

  it("refuses a row whose head's or wife's name would display as another name or as none, naming the field (the API's rule)", async () => {
    const [before] = await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM families');
    const job = await upload(
      t,
      token,
      Buffer.from(
        'no_kk;nama_kepala_keluarga;nama_istri;kode_desa;periode\n' +
          '3216060101230001;Budi\u202Egnaliw;Siti;3216062005;2023-2\n' +
          '3216060101230002;Ahmad;\u2066Siti\u2069 Aminah;3216062005;2023-2\n' +
          '3216060101230003;\u200B\u200B;Siti;3216062005;2023-2\n' +
          '3216060101230004;Nyoman Su\u00E9ndri;Ni Luh\u200DPutu;3216062005;2023-2\n',
      ),
    );
    expect(job).toMatchObject({ status: 'done', rowsRead: 4, rowsTaken: 1, rowsRejected: 3 });
    expect(job.rejections).toEqual([
      { row: 2, field: 'headName', reason: 'must not contain bidirectional override characters' },
      { row: 3, field: 'wifeName', reason: 'must not contain bidirectional override characters' },
      { row: 4, field: 'headName', reason: 'must contain a visible character' },
    ]);
    expect(await t.sql('SELECT count(*)::int AS n FROM families')).toEqual([{ n: before.n + 1 }]);
  });
});
