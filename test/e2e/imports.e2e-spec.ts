import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { checkEveryCaseReplays } from '../support/cases.js';
import { eppgbmFile, importFile } from '../support/imports.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { bearer, buildWorld, type World } from '../support/world.js';

// CI also runs this file with IMPORT_TEST_ROWS=100000 on both databases.
const ROWS = Number(process.env.IMPORT_TEST_ROWS ?? 3000);
const TIMEOUT = Math.max(60_000, ROWS * 10);

describe(`e-PPGBM import (${ROWS} generated rows)`, () => {
  let t: TestApp;
  let w: World;
  let cm: Record<string, string>;

  beforeAll(async () => {
    t = await createTestApp({ JWT_TTL_SECONDS: String(30 * 24 * 3600) });
    w = await buildWorld(t);
    cm = bearer(w.a.tokens.case_manager);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('stores every good row, reports every bad one with its field, opens one case per stunted child; a re-import adds nothing', async () => {
    const { csv, faults } = await eppgbmFile(ROWS);
    const subjectsBefore = (await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM subjects'))[0].n;
    const done = await importFile(t, cm, csv);
    expect(done).toMatchObject({ status: 'done', rowsRead: ROWS, rowsRejected: faults.size, rowsTaken: ROWS - faults.size, rowsDuplicate: 0 });
    const report = await t.http().get(`/api/v1/imports/${done.id}/rejections.csv`).set(cm).expect(200);
    expect(report.headers['content-type']).toContain('text/csv');
    const rejected = new Map<number, string[]>();
    for (const line of report.text.trim().split('\n').slice(1)) {
      const [row, field] = line.split(',');
      rejected.set(Number(row), [...(rejected.get(Number(row)) ?? []), field.replaceAll('"', '')]);
    }
    expect([...rejected.keys()].sort((a, b) => a - b)).toEqual([...faults.keys()].sort((a, b) => a - b));
    for (const [row, field] of faults) expect([row, rejected.get(row)]).toEqual([row, expect.arrayContaining([field])]);

    const [{ n: measurements }] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM measurements WHERE source = 'eppgbm'`);
    expect(measurements).toBe(ROWS - faults.size);
    const [{ n: stunted }] = await t.sql<{ n: number }>(
      `SELECT count(DISTINCT subject_id)::int AS n FROM measurements WHERE source = 'eppgbm' AND haz < -2 AND NOT needs_remeasurement`,
    );
    const [{ n: cases }] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM cases WHERE source = 'eppgbm'`);
    expect(stunted).toBeGreaterThan(ROWS * 0.03);
    expect(cases).toBe(stunted);
    expect(done.casesOpened).toBe(cases);

    // Identifiers written in bulk are readable and findable like any other.
    const firstNik = csv.toString().split('\n').slice(1).map((l) => l.split(',')[0]).find((n) => /^\d{16}$/.test(n))!;
    const found = await t.http().get(`/api/v1/subjects?nik=${firstNik}`).set(cm).set('X-Purpose', 'cek impor').expect(200);
    expect(found.body.items).toHaveLength(1);
    expect(found.body.items[0].nik).toBe(`${firstNik.slice(0, 4)}********${firstNik.slice(-4)}`);

    const again = await importFile(t, cm, csv);
    expect(again).toMatchObject({ status: 'done', rowsTaken: 0, rowsDuplicate: ROWS - faults.size, casesOpened: 0 });
    expect(await t.sql(`SELECT count(*)::int AS n FROM measurements WHERE source = 'eppgbm'`)).toEqual([{ n: measurements }]);
    expect(await t.sql(`SELECT count(*)::int AS n FROM cases WHERE source = 'eppgbm'`)).toEqual([{ n: cases }]);
    const subjectsAfter = (await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM subjects'))[0].n;
    expect(subjectsAfter - subjectsBefore).toBeLessThan(ROWS);
    expect(await checkEveryCaseReplays(t)).toBe(cases);
  }, TIMEOUT);

  it('takes a reading repeated within a file once and counts the repeat as a duplicate, with or without a NIK', async () => {
    const { csv, faults } = await eppgbmFile(200, 23);
    const lines = csv.toString().trim().split('\n');
    const good = lines.filter((l, i) => i > 0 && !faults.has(i + 1));
    const withNik = good.find((l) => /^\d{16},/.test(l))!;
    const withoutNik = good.find((l) => l.startsWith(','))!;
    const done = await importFile(t, cm, Buffer.from(`${[lines[0], withNik, withoutNik, withNik, withoutNik].join('\n')}\n`));
    expect(done).toMatchObject({ status: 'done', rowsRead: 4, rowsTaken: 2, rowsDuplicate: 2, rowsRejected: 0 });
  });

  it('refuses a file without the needed columns, an import into another regency, and a missing file', async () => {
    const bad = await importFile(t, cm, Buffer.from('foo,bar\n1,2\n'));
    expect(bad).toMatchObject({ status: 'failed', error: expect.stringContaining('no column for') });
    const other = await t.http().post('/api/v1/imports/eppgbm').set(cm).field('regencyCode', '3273').attach('file', Buffer.from('a\n'), 'x.csv');
    expect(other.status).toBe(403);
    const none = await t.http().post('/api/v1/imports/eppgbm').set(cm).field('regencyCode', '3216');
    expect([none.status, none.body.details.fields[0].field]).toEqual([400, 'file']);
    await t.http().get(`/api/v1/imports/${bad.id}`).set(bearer(w.b.tokens.case_manager)).expect(404);
  });
});
