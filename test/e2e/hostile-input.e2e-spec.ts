import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createTestApp, T0, type TestApp } from '../support/test-app.js';
import { bearer, buildWorld, nikFor, REGENCY_A, type World } from '../support/world.js';

const RUNS = Number(process.env.HOSTILE_RUNS ?? 40);

/** Values that break naive code: wrong types, extremes, odd text, injection attempts. */
const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constantFrom(null, -1, 0, 1e308, -1e308, 2 ** 53 + 1, '', ' ', '\u0000', '\u202e', 'NaN', 'Infinity', '-0'),
  fc.constantFrom('9'.repeat(20_000), 'ä'.repeat(5_000), '<script>alert(1)</script>', "'; DROP TABLE subjects; --", '${7*7}', '../../etc/passwd'),
  fc.constantFrom('2026-13-45', '0000-01-01', '9999-12-31T23:59:59Z', '2026-11-23T25:61:00Z', '1900-01-01', '20261123'),
  fc.array(fc.anything({ maxDepth: 1 }), { maxLength: 3 }),
  fc.object({ maxDepth: 2 }),
);

/** Fields a client must never be able to set. */
const forged = fc.record(
  {
    state: fc.constantFrom('resolved', 'verified', 'done', 'active'),
    version: fc.oneof(fc.integer(), nasty),
    regencyCode: fc.constantFrom('3273', '9999', ''),
    createdBy: fc.uuid(),
    id: fc.uuid(),
    role: fc.constant('admin'),
  },
  { requiredKeys: [] },
);

/** A body built from a valid one: some fields replaced by nasty values, maybe forged fields added, or anything at all. */
function hostile(valid: Record<string, unknown>) {
  const keys = Object.keys(valid);
  const mutated = fc
    .tuple(fc.subarray(keys), fc.array(nasty, { minLength: keys.length, maxLength: keys.length }), forged)
    .map(([replace, values, extra]) => {
      const body: Record<string, unknown> = { ...valid };
      replace.forEach((k) => (body[k] = values[keys.indexOf(k)]));
      return { ...body, ...extra };
    });
  return fc.oneof({ weight: 3, arbitrary: mutated }, { weight: 1, arbitrary: fc.anything() }, { weight: 1, arbitrary: fc.constant(valid) });
}

interface Target {
  route: string;
  method: 'post' | 'patch' | 'put';
  path: string;
  valid: Record<string, unknown>;
  headers?: Record<string, string>;
  token: string;
}

/**
 * Every write endpoint, fed random and adversarial payloads: never a 5xx, and a refused request
 * leaves every table exactly as it was.
 */
describe('hostile input on every write endpoint', () => {
  let t: TestApp;
  let w: World;
  let tables: string[];
  const targets: Target[] = [];

  /** Row count and an md5 of the content of every table the API writes. */
  const checksum = async (): Promise<string> => {
    const parts: string[] = [];
    for (const table of tables) {
      const [r] = await t.sql<{ n: string; h: string | null }>(`SELECT count(*) AS n, md5(string_agg(x::text, '|' ORDER BY x::text)) AS h FROM ${table} x`);
      parts.push(`${table}:${r.n}:${r.h}`);
    }
    return parts.join(',');
  };

  beforeAll(async () => {
    t = await createTestApp({ JWT_TTL_SECONDS: String(7 * 24 * 3600) });
    w = await buildWorld(t);
    const cm = w.a.tokens.case_manager;
    const http = () => t.http();
    const s = await http()
      .post('/api/v1/subjects')
      .set(bearer(cm))
      .send({ targetGroup: 'BALITA', name: 'Anak Uji', sex: 'F', birthDate: '2024-03-01', nik: nikFor(REGENCY_A.district), villageCode: REGENCY_A.village })
      .expect(201);
    const m = await http().post(`/api/v1/subjects/${s.body.id}/measurements`).set(bearer(cm)).send({ measuredAt: '2026-11-20', heightCm: 82, method: 'standing' }).expect(201);
    const caseId = m.body.caseId as string;
    await http()
      .post(`/api/v1/cases/${caseId}/events`)
      .set(bearer(cm))
      .set('If-Match', '"1"')
      .send({ type: 'RECORD_AUDIT', auditedAt: T0.toISOString(), cycle: '2026-S2', causes: ['POVERTY'], recommendations: [{ action: 'PKH', opdCode: 'DINKES' }], experts: [{ specialty: 'SpA' }] })
      .expect(200);
    const task = (await http().get(`/api/v1/tasks?caseId=${caseId}`).set(bearer(cm)).expect(200)).body.items[0].id as string;
    const iv = await http().post('/api/v1/interventions').set(bearer(cm)).send({ caseId, sponsorId: w.a.sponsorId, catalogueCode: 'JAMBAN', plannedStart: '2026-12-01', budgetIdr: 1000 }).expect(201);
    await http().post(`/api/v1/interventions/${iv.body.id}/events`).set(bearer(cm)).set('If-Match', '"1"').send({ type: 'APPROVE' }).expect(200);

    const admin = w.a.tokens.admin;
    const national = w.nationalToken;
    const day = '2026-11-22';
    targets.push(
      { route: 'POST /auth/login', method: 'post', path: '/api/v1/auth/login', valid: { username: 'casemanager.a', password: 'x-wrong-password' }, token: '' },
      { route: 'POST /users', method: 'post', path: '/api/v1/users', valid: { username: 'baru.user', password: 'a-long-password', displayName: 'Baru', role: 'viewer', regencyCode: REGENCY_A.code }, token: admin },
      { route: 'PATCH /users/:id', method: 'patch', path: `/api/v1/users/${w.a.targetUserId}`, valid: { displayName: 'Target', email: 'a@b.id' }, token: admin },
      { route: 'POST /opds', method: 'post', path: '/api/v1/opds', valid: { regencyCode: REGENCY_A.code, code: 'PUPR', name: 'Dinas PUPR' }, token: national },
      { route: 'PATCH /opds/:id', method: 'patch', path: `/api/v1/opds/${w.a.opdId}`, valid: { name: 'Dinas Kesehatan' }, token: national },
      { route: 'POST /sponsors', method: 'post', path: '/api/v1/sponsors', valid: { name: 'PT Baru', type: 'company', regencyCodes: [REGENCY_A.code] }, token: national },
      { route: 'POST /subjects', method: 'post', path: '/api/v1/subjects', valid: { targetGroup: 'BALITA', name: 'Anak Baru', sex: 'M', birthDate: '2024-01-01', villageCode: REGENCY_A.village }, token: cm },
      { route: 'PATCH /subjects/:id', method: 'patch', path: `/api/v1/subjects/${s.body.id}`, valid: { address: 'Jl. Melati' }, token: cm },
      { route: 'POST /subjects/:id/measurements', method: 'post', path: `/api/v1/subjects/${s.body.id}/measurements`, valid: { measuredAt: day, heightCm: 82.5, weightKg: 10, method: 'standing' }, token: cm },
      { route: 'POST /subjects/:id/consents', method: 'post', path: `/api/v1/subjects/${s.body.id}/consents`, valid: { guardianName: 'Ibu', guardianRelation: 'ibu', purpose: 'share_with_sponsor', sponsorId: w.a.sponsorId, evidenceRef: 'form', givenAt: day }, token: cm },
      { route: 'POST /cases', method: 'post', path: '/api/v1/cases', valid: { subjectId: w.a.subjectId, identifiedAt: day, source: 'manual' }, token: cm },
      { route: 'POST /cases/:id/events', method: 'post', path: `/api/v1/cases/${caseId}/events`, valid: { type: 'START_INTERVENTION', startedAt: day, description: 'PMT' }, headers: { 'If-Match': '"99"' }, token: cm },
      { route: 'PATCH /cases/:id/assignee', method: 'patch', path: `/api/v1/cases/${caseId}/assignee`, valid: { userId: w.a.userIds.case_manager }, headers: { 'If-Match': '"99"' }, token: cm },
      { route: 'PUT /sla-policies/:code', method: 'put', path: `/api/v1/sla-policies/${REGENCY_A.code}`, valid: { days: { identified: 30, audited: 14, intervened: 30, remeasured: 7 } }, token: admin },
      { route: 'POST /cases/:id/tasks', method: 'post', path: `/api/v1/cases/${caseId}/tasks`, valid: { opdCode: 'DINKES', action: 'Kunjungan', dueInDays: 7 }, token: cm },
      { route: 'POST /tasks/:id/events', method: 'post', path: `/api/v1/tasks/${task}/events`, valid: { type: 'COMPLETE', note: 'x', evidence: [{ kind: 'photo', description: 'x' }] }, headers: { 'If-Match': '"1"' }, token: w.a.tokens.opd_liaison },
      { route: 'POST /interventions', method: 'post', path: '/api/v1/interventions', valid: { caseId, sponsorId: w.a.sponsorId, catalogueCode: 'JAMBAN', plannedStart: '2026-12-01', budgetIdr: 1000 }, token: cm },
      { route: 'POST /interventions/:id/events', method: 'post', path: `/api/v1/interventions/${iv.body.id}/events`, valid: { type: 'HOLD', reason: 'x' }, headers: { 'If-Match': '"1"' }, token: cm },
      { route: 'POST /interventions/:id/deliveries', method: 'post', path: `/api/v1/interventions/${iv.body.id}/deliveries`, valid: { deliveredAt: '2030-01-01', quantity: 1, unit: 'unit' }, headers: { 'Idempotency-Key': 'hostile-key-0001' }, token: cm },
      { route: 'POST /cases/:id/offers', method: 'post', path: `/api/v1/cases/${caseId}/offers`, valid: { sponsorId: w.a.sponsorId }, token: cm },
      { route: 'POST /webhooks', method: 'post', path: '/api/v1/webhooks', valid: { url: 'https://hooks.example.org/x' }, token: admin },
      { route: 'POST /catalogues/interventions', method: 'post', path: '/api/v1/catalogues/interventions', valid: { code: 'LOKAL_X', name: 'x', nameEn: 'x', kind: 'sensitif', targetGroups: ['BALITA'], defaultDays: 1, cadenceDays: 1, unit: 'x', opdCode: 'DINKES' }, token: admin },
      { route: 'POST /subjects/:id/restriction', method: 'post', path: `/api/v1/subjects/${w.a.subjectId}/restriction`, valid: { reason: 'x' }, token: w.a.tokens.dpo },
    );
    // A refused login is counted (rate_limits) as it is recorded (audit_log): neither is the refused request's data.
    // A partitioned table is read through its parent (its months are not listed again).
    const names: { table_name: string }[] = await t.sql(
      `SELECT c.relname AS table_name FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
          AND c.relname NOT IN ('migrations', 'audit_log', 'audit_heads', 'rate_limits') ORDER BY 1`,
    );
    tables = names.map((n) => n.table_name);
  }, 180_000); // a world and a record of every kind: on a busy 2-core machine this can pass a minute

  afterAll(async () => {
    await t?.close();
  });

  it.each(['POST /auth/login', 'POST /users', 'PATCH /users/:id', 'POST /opds', 'PATCH /opds/:id', 'POST /sponsors', 'POST /subjects', 'PATCH /subjects/:id',
    'POST /subjects/:id/measurements', 'POST /subjects/:id/consents', 'POST /cases', 'POST /cases/:id/events', 'PATCH /cases/:id/assignee',
    'PUT /sla-policies/:code', 'POST /cases/:id/tasks', 'POST /tasks/:id/events', 'POST /interventions', 'POST /interventions/:id/events',
    'POST /interventions/:id/deliveries', 'POST /cases/:id/offers', 'POST /webhooks', 'POST /catalogues/interventions', 'POST /subjects/:id/restriction'])(
    '%s: never a 5xx; a refusal changes nothing',
    async (route) => {
      const target = targets.find((x) => x.route === route)!;
      let before = await checksum();
      await fc.assert(
        fc.asyncProperty(hostile(target.valid), async (body) => {
          const req = t.http()[target.method](target.path).set('Content-Type', 'application/json').set(target.headers ?? {});
          if (target.token) req.set(bearer(target.token));
          const res = await req.send(JSON.stringify(body ?? null) ?? 'null');
          expect(res.status).toBeLessThan(500);
          const after = await checksum();
          if (res.status >= 400) expect(after).toBe(before);
          else before = after;
        }),
        { numRuns: RUNS },
      );
    },
    60_000,
  );

  it('oversized and malformed bodies are refused cleanly', async () => {
    const cm = bearer(w.a.tokens.case_manager);
    const huge = await t.http().post('/api/v1/subjects').set(cm).set('Content-Type', 'application/json').send(JSON.stringify({ name: 'x'.repeat(2_000_000) }));
    expect(huge.status).toBe(413);
    const broken = await t.http().post('/api/v1/subjects').set(cm).set('Content-Type', 'application/json').send('{"name": "x",');
    expect([broken.status, broken.body.error]).toEqual([400, 'MALFORMED_JSON']);
    const deep = await t.http().post('/api/v1/subjects').set(cm).set('Content-Type', 'application/json').send(`${'['.repeat(5000)}${']'.repeat(5000)}`);
    expect(deep.status).toBe(400);
  });

  it('page sizes are capped', async () => {
    const res = await t.http().get('/api/v1/subjects?limit=100000').set(bearer(w.a.tokens.case_manager)).expect(200);
    expect(res.body.items.length).toBeLessThanOrEqual(200);
  });
});
