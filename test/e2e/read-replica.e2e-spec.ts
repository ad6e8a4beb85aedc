import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { bearer, buildWorld, REGENCY_A, type World } from '../support/world.js';

const onServer = !!process.env.TEST_DATABASE_URL;

/**
 * DATABASE_READ_URL: reports read from the replica, commands decide on the primary. The
 * "replica" here is a copy of the primary's database taken at one moment (CREATE DATABASE …
 * TEMPLATE) that never catches up: the stalest replica there can be, so any read of it shows.
 */
(onServer ? describe : describe.skip)('a read replica for reports', () => {
  let first: TestApp;
  let t: TestApp;
  let w: World;
  let replicaName: string;
  let caseId: string;
  const admin = (sql: string, params: unknown[] = []) => withClient(process.env.TEST_DATABASE_URL!, (c) => c.query(sql, params));
  const onReplica = (sql: string, params: unknown[] = []) => {
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = `/${replicaName}`;
    return withClient(url.toString(), (c) => c.query(sql, params));
  };

  beforeAll(async () => {
    first = await createTestApp();
    w = await buildWorld(first);
    const cm = bearer(w.a.tokens.case_manager);
    const s = await first.http().post('/api/v1/subjects').set(cm).send({ targetGroup: 'BALITA', name: 'Anak Replika', sex: 'M', birthDate: '2024-05-01', villageCode: REGENCY_A.village }).expect(201);
    caseId = (await first.http().post('/api/v1/cases').set(cm).send({ subjectId: s.body.id, identifiedAt: '2026-11-20', source: 'manual' }).expect(201)).body.id;
    await first.close({ keepDatabase: true });

    const primaryName = decodeURIComponent(new URL(first.env.DATABASE_DIRECT_URL ?? first.env.DATABASE_URL).pathname.slice(1));
    replicaName = `${primaryName}_replica`;
    // A pooler may still hold server connections to the primary's database; a template has none.
    await admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [primaryName]);
    await admin(`CREATE DATABASE "${replicaName}" TEMPLATE "${primaryName}"`);
    const replicaUrl = new URL(process.env.TEST_DATABASE_URL!);
    replicaUrl.pathname = `/${replicaName}`;
    t = await createTestApp({ ...first.env, DATABASE_READ_URL: replicaUrl.toString() });
  });

  afterAll(async () => {
    await t?.close();
    await first?.dropDatabase();
    if (replicaName) await admin(`DROP DATABASE IF EXISTS "${replicaName}" WITH (FORCE)`);
  });

  it('the overdue report reads the replica', async () => {
    // Only the replica has the case overdue: the report shows what the replica holds.
    await onReplica(`UPDATE step_deadlines SET due_at = '2026-11-01T00:00:00Z' WHERE aggregate_id = $1`, [caseId]);
    const report = await t.http().get('/api/v1/reports/overdue?groupBy=state').set(bearer(w.a.tokens.case_manager)).expect(200);
    expect(report.body.groups).toEqual([expect.objectContaining({ key: 'case:identified', count: 1, oldestDueAt: '2026-11-01T00:00:00.000Z' })]);
    expect((await t.sql<{ n: string }>(`SELECT count(*) AS n FROM step_deadlines WHERE due_at < '2026-11-23'`))[0].n).toBe('0');
  });

  it('a command decides on the primary, never on the replica', async () => {
    const cm = bearer(w.a.tokens.case_manager);
    const audit = { type: 'RECORD_AUDIT', auditedAt: '2026-11-22', cycle: '2026-S2', causes: ['INADEQUATE_INTAKE'], recommendations: [{ action: 'PMT', opdCode: 'DINKES' }], experts: [{ specialty: 'SpA' }] };
    const moved = await t.http().post(`/api/v1/cases/${caseId}/events`).set(cm).set('If-Match', '"1"').send(audit).expect(200);
    expect(moved.body).toMatchObject({ state: 'audited', version: 2 });
    // The replica still has the case at version 1, identified.
    expect((await onReplica(`SELECT state, version FROM cases WHERE id = $1`, [caseId])).rows).toEqual([{ state: 'identified', version: 1 }]);
    // A second audit with the replica's version is refused: the version check read the primary.
    const stale = await t.http().post(`/api/v1/cases/${caseId}/events`).set(cm).set('If-Match', '"1"').send(audit);
    expect([409, 412]).toContain(stale.status);
    // The next step, with the primary's version, goes through: it could not from the replica's state.
    const next = await t.http().post(`/api/v1/cases/${caseId}/events`).set(cm).set('If-Match', '"2"').send({ type: 'START_INTERVENTION', startedAt: '2026-11-23', description: 'PMT lokal' });
    expect(next.status).toBe(200);
    expect(next.body).toMatchObject({ state: 'intervened', version: 3 });
    const history = await t.http().get(`/api/v1/cases/${caseId}/history`).set(cm).expect(200);
    expect(history.body.items.map((h: { type: string }) => h.type)).toEqual(['OPEN', 'RECORD_AUDIT', 'START_INTERVENTION']);
    // Nothing was ever written to the replica.
    expect((await onReplica(`SELECT count(*)::int AS n FROM case_history WHERE case_id = $1`, [caseId])).rows[0].n).toBe(1);
  });
});

async function withClient<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}
