import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { verifyAuditChains } from '../../src/modules/audit/audit-verifier.js';
import { AuditRepository } from '../../src/modules/audit/audit.repository.js';
import { AuditService } from '../../src/modules/audit/audit.service.js';
import { MeasurementsRepository } from '../../src/modules/growth/measurements.repository.js';
import { PARTITION_DROPPED, TimePartitionsService } from '../../src/modules/privacy/time-partitions.service.js';
import { createTestApp, T0, type TestApp } from '../support/test-app.js';
import { bearer, buildWorld, REGENCY_A, type World } from '../support/world.js';

/**
 * Time partitions (issue 22, part 5): audit_log, the histories and measurements are partitioned
 * by month; the reads that name a period prune to its months (EXPLAIN of the statements the
 * repositories send), rows of a month without a partition still insert, the job makes months
 * ahead idempotently and concurrently, and retention drops whole audit-log months.
 */
const TABLES = ['accompaniment_history', 'aksi_document_history', 'audit_log', 'case_history', 'intervention_history', 'measurements', 'task_history'];

describe('time partitions', () => {
  let t: TestApp;
  let w: World;
  let cm: Record<string, string>;
  let parts: TimePartitionsService;

  /** The partitions of `table` that a plan scans. */
  const scanned = async (table: string, [sql, params]: [string, unknown[]]) => {
    const plan = (await t.sql<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params)).map((r) => r['QUERY PLAN']).join('\n');
    return [...new Set([...plan.matchAll(new RegExp(`\\b(${table}_(?:p\\d{6}|default))\\b`, 'g'))].map((m) => m[1]))].sort();
  };
  const partitionOf = async (table: string, where: string, params: unknown[]) =>
    (await t.sql<{ p: string }>(`SELECT tableoid::regclass::text AS p FROM ${table} WHERE ${where}`, params)).map((r) => r.p);
  const child = async (name: string, birthDate: string) =>
    (await t.http().post('/api/v1/subjects').set(cm).send({ targetGroup: 'BALITA', name, sex: 'M', birthDate, villageCode: REGENCY_A.village }).expect(201)).body
      .id as string;
  const measure = (subjectId: string, measuredAt: string, weightKg: number, heightCm: number) =>
    t.http().post(`/api/v1/subjects/${subjectId}/measurements`).set(cm).send({ measuredAt, weightKg, heightCm, method: heightCm < 87 ? 'recumbent' : 'standing' });

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildWorld(t);
    cm = bearer(w.a.tokens.case_manager);
    parts = t.app.get(TimePartitionsService);
  });
  afterAll(async () => {
    t.clock.set(T0);
    await t?.close();
  });

  it('partitions audit_log, the histories and measurements by month, with a default partition', async () => {
    const rows = await t.sql<{ t: string; strategy: string; key: string }>(
      `SELECT c.relname AS t, p.partstrat AS strategy, a.attname AS key FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid
         JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0] ORDER BY 1`,
    );
    expect(rows.map((r) => r.t)).toEqual(TABLES);
    expect(rows.every((r) => r.strategy === 'r' && (r.key === 'at' || (r.t === 'measurements' && r.key === 'measured_on')))).toBe(true);
    for (const table of TABLES) expect(await t.sql(`SELECT to_regclass($1) IS NOT NULL AS ok`, [`${table}_default`])).toEqual([{ ok: true }]);
  });

  it('stores a reading of a month without a partition (typed in late), and the job moves it into its month', async () => {
    const id = await child('Terlambat', '2024-06-01');
    const res = await measure(id, '2025-03-10', 8.9, 72);
    expect(res.status).toBe(201);
    expect(await partitionOf('measurements', 'id = $1', [res.body.id])).toEqual(['measurements_default']);
    // The audit entries of the test clock's month (no partition yet on a template made later) wait there too.
    await parts.ensure();
    expect(await partitionOf('measurements', 'id = $1', [res.body.id])).toEqual(['measurements_p202503']);
    expect(await t.sql(`SELECT count(*)::int AS n FROM measurements_default`)).toEqual([{ n: 0 }]);
    expect(await t.sql(`SELECT count(*)::int AS n FROM audit_log_default`)).toEqual([{ n: 0 }]);
    // Still one reading, still referenced where it was, and still append-only.
    expect((await t.http().get(`/api/v1/subjects/${id}/growth`).set(cm).expect(200)).body.items).toHaveLength(1);
    await expect(t.sql(`DELETE FROM audit_log WHERE regency_code = $1`, [REGENCY_A.code])).rejects.toThrow(/append-only/);
  });

  it('makes the months ahead once, when two replicas run the job at once', async () => {
    t.clock.set(new Date('2031-05-20T00:00:00Z'));
    const made = await Promise.all([parts.ensure(3), parts.ensure(3)]);
    expect(made.reduce((a, b) => a + b, 0)).toBe(4 * TABLES.length);
    expect(await parts.ensure(3)).toBe(0);
    expect((await parts.months('audit_log')).map((m) => m.month)).toEqual(expect.arrayContaining(['2031-05', '2031-06', '2031-07', '2031-08']));
    // A concurrent writer in the new month lands in its partition.
    await t.app.get(AuditService).record({ actor: null, regencyCode: '9902', action: 'test.ahead', entityType: 'test' });
    expect(await partitionOf('audit_log', `regency_code = '9902'`, [])).toEqual(['audit_log_p203105']);
    t.clock.set(T0);
  });

  it("prunes a child's growth read to the months from its birth", async () => {
    for (const m of ['2025-04-01', '2025-05-01', '2025-06-01', '2025-07-01']) await t.sql(`SELECT create_time_partition('measurements', $1::date)`, [m]);
    const id = await child('Pruned', '2025-06-10');
    await measure(id, '2025-07-15', 4.5, 54.7).expect(201);
    const repo = t.app.get(MeasurementsRepository);
    const seen = await scanned('measurements', repo.growthSeriesStatement(id, '2025-06-10'));
    expect(seen).toContain('measurements_p202507');
    expect(seen.filter((p) => /_p\d{6}$/.test(p) && p.slice(-6) < '202506')).toEqual([]);
    expect(seen).not.toContain('measurements_p202503');
    expect((await repo.growthSeries(id, '2025-06-10')).map((m) => m.measuredOn)).toEqual(['2025-07-15']);
  });

  it('keeps every reading on or after the birth date, which the growth read relies on', async () => {
    const id = await child('Geser', '2025-06-10');
    await measure(id, '2025-07-15', 4.5, 54.7).expect(201);
    const later = await t.http().patch(`/api/v1/subjects/${id}`).set(cm).send({ birthDate: '2025-07-20' });
    expect(later.status).toBeGreaterThanOrEqual(400);
    expect(later.status).toBeLessThan(500);
    expect(JSON.stringify(later.body)).toContain("is after the subject's first reading (2025-07-15)");
    await t.http().patch(`/api/v1/subjects/${id}`).set(cm).send({ birthDate: '2025-07-01' }).expect(200);
    const growth = (await t.http().get(`/api/v1/subjects/${id}/growth`).set(cm).expect(200)).body;
    expect(growth.items.map((m: { measuredAt: string }) => m.measuredAt)).toEqual(['2025-07-15']);
  });

  it("prunes a DPO's quarter query to the quarter's months", async () => {
    for (const m of ['2026-09-01', '2026-10-01', '2026-11-01', '2026-12-01', '2027-01-01']) await t.sql(`SELECT create_time_partition('audit_log', $1::date)`, [m]);
    const repo = t.app.get(AuditRepository);
    const quarter = { regencyCode: REGENCY_A.code, from: new Date('2026-10-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z'), limit: 50 };
    expect(await scanned('audit_log', repo.statement(quarter))).toEqual(['audit_log_p202610', 'audit_log_p202611', 'audit_log_p202612']);
    const rows = await repo.query(quarter);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.at >= quarter.from && r.at < quarter.to)).toBe(true);
  });

  it('drops whole audit-log months past retention, and the chain verifies from its oldest remaining entry', async () => {
    const audit = t.app.get(AuditService);
    const at = async (iso: string, n: number) => {
      t.clock.set(new Date(iso));
      await parts.ensure(0);
      for (let i = 0; i < n; i++) await audit.record({ actor: null, regencyCode: '9901', action: 'test.old', entityType: 'test', details: { i } });
    };
    await at('2019-01-15T00:00:00Z', 3);
    await at('2019-02-15T00:00:00Z', 2);
    await at(T0.toISOString(), 1);
    // Another chain whose entries straddle a month's turn out of order (two replicas' clocks apart):
    // its March may not go while April holds an earlier entry, nor April before March.
    const skewed = async (iso: string) => {
      t.clock.set(new Date(iso));
      await parts.ensure(0);
      await audit.record({ actor: null, regencyCode: '9903', action: 'test.skewed', entityType: 'test' });
    };
    await skewed('2019-03-31T23:59:00Z');
    await skewed('2019-04-01T00:00:01Z');
    await skewed('2019-03-31T23:59:59Z');
    t.clock.set(T0);
    // Off unless set: nothing is dropped by default.
    expect(await parts.dropExpiredAuditMonths(0)).toEqual({ dropped: [], kept: [] });
    const before = await verifyAuditChains(t.app.get(DataSource), '9901');
    expect(before).toMatchObject({ entries: 6, broken: [] });

    const out = await parts.dropExpiredAuditMonths(60);
    expect(out).toEqual({ dropped: ['2019-01', '2019-02'], kept: ['2019-03'] });
    expect(await verifyAuditChains(t.app.get(DataSource), '9903')).toMatchObject({ entries: 3, broken: [] });
    expect((await parts.months('audit_log')).map((m) => m.month)).not.toContain('2019-01');
    const markers = await t.sql<{ details: { month: string; lastSeq: number } }>(
      `SELECT details FROM audit_log WHERE regency_code = '9901' AND action = $1 ORDER BY seq`,
      [PARTITION_DROPPED],
    );
    expect(markers.map((m) => [m.details.month, m.details.lastSeq])).toEqual([
      ['2019-01', 3],
      ['2019-02', 5],
    ]);
    const after = await verifyAuditChains(t.app.get(DataSource));
    expect(after.broken).toEqual([]);
    expect((await verifyAuditChains(t.app.get(DataSource), '9901')).entries).toBe(3);
  });

  it('reverts to plain tables and partitions again with every row kept', async () => {
    const ds = t.app.get(DataSource);
    // A reading a FHIR export and a flag point at, by (id, measured_on).
    const id = await child('Bolak-balik', '2024-06-01');
    const reading = (await measure(id, '2025-01-20', 8.2, 70).expect(201)).body.id as string;
    await t.sql(`INSERT INTO fhir_exports (id, regency_code, measurement_id, measured_on, kind, status, next_attempt_at, created_at)
                 VALUES (gen_random_uuid(), $1, $2, '2025-01-20', 'create', 'pending', now(), now())`, [REGENCY_A.code, reading]);
    const counts = async () =>
      Object.fromEntries(
        await Promise.all([...TABLES, 'fhir_exports', 'growth_flags'].map(async (x) => [x, (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${x}`))[0].n])),
      );
    const before = await counts();
    // Back to before the time partitions: the migrations after it first, newest first.
    const last = async () => (await t.sql<{ name: string }>(`SELECT name FROM migrations ORDER BY timestamp DESC LIMIT 1`))[0].name;
    while ((await last()) !== 'TimePartitions1764530000000') await ds.undoLastMigration({ transaction: 'each' });
    await ds.undoLastMigration({ transaction: 'each' });
    expect(await t.sql(`SELECT count(*)::int AS n FROM pg_partitioned_table`)).toEqual([{ n: 0 }]);
    expect(await counts()).toEqual(before);
    await ds.runMigrations({ transaction: 'each' });
    expect(await counts()).toEqual(before);
    expect(await partitionOf('measurements', 'id = $1', [reading])).toEqual(['measurements_p202501']);
    await expect(t.sql(`DELETE FROM measurements WHERE id = $1`, [reading])).rejects.toThrow(/foreign key constraint .* on table "fhir_exports"/);
    expect((await verifyAuditChains(ds)).broken).toEqual([]);
    // The app goes on writing to the rebuilt tables.
    await measure(id, '2025-02-20', 8.4, 71).expect(201);
  });
});
