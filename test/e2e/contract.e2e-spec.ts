import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { buildOpenApiDocument } from '../../src/openapi/document.js';
import { ADMIN, createTestApp, login, type TestApp } from '../support/test-app.js';
import { bearer } from '../support/world.js';

const PASSWORD = 'a-long-password-1';

/**
 * The walk-through of docs/walk-through.md, one child from a stunted reading to a resolved case,
 * with every answer checked against the OpenAPI document (test/support/contract.ts does that for
 * every test app; this one asserts it outright at the end), plus the refusals a client meets on
 * the way, in English and in Indonesian.
 */
describe('the contract: the walk-through, every answer as the OpenAPI document says', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  const as: Record<string, Record<string, string>> = {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    admin = bearer(await login(t, ADMIN.username, ADMIN.password));
  }, 180_000); // booting and migrating a database takes long on a loaded machine

  afterAll(async () => {
    await t.close();
  });

  const relogin = async () => {
    for (const u of ['sri', 'rina', 'budi', 'dewi']) as[u] = bearer(await login(t, u, PASSWORD));
  };
  const version = async (path: string, who = as.sri) => String((await t.http().get(`/api/v1/${path}`).set(who).expect(200)).body.version);
  const send = async (path: string, who: Record<string, string>, body: object, status = 200) => {
    const res = await t.http().post(`/api/v1/${path}/events`).set(who).set('If-Match', await version(path, who)).send(body);
    expect([res.status, res.body.error]).toEqual([status, undefined]);
    return res.body as { state: string; version: number };
  };

  it('sets up a regency by codes: OPDs, a sponsor, and users bound by opdCode and sponsorId', async () => {
    await t.http().post('/api/v1/opds/seed').set(admin).send({ regencyCode: '32.16' }).expect(200);
    ids.sponsor = (await t.http().post('/api/v1/sponsors').set(admin).send({ name: 'PT Sumber Gizi Nusantara', type: 'company', regencyCodes: ['3216'] }).expect(201)).body.id;
    const users: [string, string, object][] = [
      ['sri', 'Sri Wahyuni', { role: 'case_manager' }],
      ['rina', 'dr. Rina, Sp.A', { role: 'auditor' }],
      ['budi', 'Budi (Dinkes)', { role: 'opd_liaison', opdCode: 'DINKES' }],
      ['dewi', 'Dewi (CSR)', { role: 'csr_partner', sponsorId: ids.sponsor }],
    ];
    for (const [username, displayName, binding] of users) {
      await t.http().post('/api/v1/users').set(admin).send({ username, displayName, password: PASSWORD, regencyCode: '3216', ...binding }).expect(201);
    }
    const dinkes = (await t.http().get('/api/v1/opds?regencyCode=3216').set(admin).expect(200)).body.items.find((o: { code: string }) => o.code === 'DINKES');
    const budi = (await t.http().get('/api/v1/users?role=opd_liaison').set(admin).expect(200)).body.items.find((u: { username: string }) => u.username === 'budi');
    expect(budi.opdId).toBe(dinkes.id);
    const wrong = await t.http().post('/api/v1/users').set(admin).send({ username: 'x.liaison', displayName: 'X', password: PASSWORD, role: 'opd_liaison', regencyCode: '3216', opdCode: 'NOPE' });
    expect([wrong.status, wrong.body.details.fields]).toEqual([400, [{ field: 'opdCode', reason: 'names no OPD of regency 3216' }]]);
    await relogin();
  });

  it('registers a child as e-PPGBM writes her (P, a dotted village code) and answers in its own vocabulary', async () => {
    const res = await t.http().post('/api/v1/subjects').set(as.sri).send({
      targetGroup: 'BALITA',
      name: 'Aisyah Putri',
      sex: 'P',
      birthDate: '2024-03-01',
      nik: '3216064103240002',
      villageCode: '32.16.06.2005',
      motherName: 'Siti Rahmawati',
      posyandu: 'Posyandu Melati 3',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ sex: 'F', villageCode: '3216062005', regencyCode: '3216', nik: '3216********0002' });
    ids.child = res.body.id;
  });

  it("last month's stunted reading opens the case; the tim pakar audits it and DINKES gets the task", async () => {
    // As the walk-through does: the posyandu's reading of a month ago, entered today (T0 is 2026-11-23 in Bekasi).
    const reading = await t.http().post(`/api/v1/subjects/${ids.child}/measurements`).set(as.sri).send({ measuredAt: '2026-10-24', heightCm: 82.0, weightKg: 10.1, method: 'berdiri' });
    expect(reading.status).toBe(201);
    expect(reading.body.haz).toBeLessThan(-2);
    expect(reading.body.method).toBe('standing');
    ids.case = reading.body.caseId;
    expect((await t.http().get(`/api/v1/cases/${ids.case}`).set(as.sri).expect(200)).body.state).toBe('identified');

    const audited = await send(`cases/${ids.case}`, as.rina, {
      type: 'RECORD_AUDIT',
      auditedAt: '2026-11-23',
      cycle: '2026-S2',
      causes: ['INADEQUATE_INTAKE', 'FEEDING_PRACTICE'],
      recommendations: [{ action: 'PMT lokal 56 hari dan konseling MP-ASI', opdCode: 'DINKES', dueInDays: 14 }],
      experts: [{ specialty: 'SpA', name: 'dr. Rina, Sp.A' }, { specialty: 'GIZI' }],
    });
    expect(audited.state).toBe('audited');
    const inbox = await t.http().get(`/api/v1/tasks?caseId=${ids.case}`).set(as.budi).expect(200);
    expect(inbox.body.items).toHaveLength(1);
    ids.task = inbox.body.items[0].id;
  });

  it('the liaison acknowledges, starts and completes the task; a COMPLETE without its payload is refused field by field', async () => {
    const task = `tasks/${ids.task}`;
    expect((await send(task, as.budi, { type: 'ACKNOWLEDGE' })).state).toBe('acknowledged');
    expect((await send(task, as.budi, { type: 'START', note: 'Jadwal kunjungan rumah Senin' })).state).toBe('in_progress');

    const bare = await t.http().post(`/api/v1/${task}/events`).set(as.budi).set('If-Match', await version(task, as.budi)).send({ type: 'COMPLETE' });
    expect([bare.status, bare.body.details.fields]).toEqual([400, [{ field: 'note', reason: 'is required' }, { field: 'evidence', reason: 'is required' }]]);
    const inIndonesian = await t.http().post(`/api/v1/${task}/events`).set(as.budi).set('Accept-Language', 'id').set('If-Match', await version(task, as.budi)).send({ type: 'COMPLETE', note: 'x', evidence: [] });
    expect([inIndonesian.status, inIndonesian.body.message, inIndonesian.headers['content-language']]).toEqual([400, 'evidence: harus berisi paling sedikit 1 butir', 'id']);

    const done = await send(task, as.budi, { type: 'COMPLETE', note: 'PMT diberikan, ibu dikonseling', evidence: [{ kind: 'photo', description: 'Foto serah terima PMT' }] });
    expect(done.state).toBe('done');
    expect((await send(task, as.sri, { type: 'VERIFY', note: 'Sesuai laporan puskesmas' })).state).toBe('verified');
  });

  it('a CSR intervention: offered, proposed, approved, and a delivery sent twice under one Idempotency-Key counts once', async () => {
    await t.http().post(`/api/v1/cases/${ids.case}/offers`).set(as.sri).send({ sponsorId: ids.sponsor }).expect(201);
    const offers = await t.http().get('/api/v1/offers').set(as.dewi).expect(200);
    expect(offers.body.items[0].beneficiary.code).toMatch(/^BNF-/);
    const proposed = await t.http().post('/api/v1/interventions').set(as.dewi).send({ caseId: ids.case, sponsorId: ids.sponsor, catalogueCode: 'PMT_LOKAL_GIZI_KURANG', plannedStart: '2026-11-23', budgetIdr: 1_200_000 });
    expect(proposed.status).toBe(201);
    ids.iv = proposed.body.id;
    expect((await send(`interventions/${ids.iv}`, as.sri, { type: 'APPROVE' })).state).toBe('approved');

    const key = randomUUID();
    const delivery = { deliveredAt: '2026-11-23T03:00:00Z', quantity: 7, unit: 'paket', amountIdr: 150_000 };
    const first = await t.http().post(`/api/v1/interventions/${ids.iv}/deliveries`).set(as.dewi).set('Idempotency-Key', key).send(delivery);
    const again = await t.http().post(`/api/v1/interventions/${ids.iv}/deliveries`).set(as.dewi).set('Idempotency-Key', key).send(delivery);
    expect([first.status, again.status, again.body]).toEqual([201, 201, first.body]);
    expect((await t.http().get(`/api/v1/interventions/${ids.iv}/deliveries`).set(as.sri).expect(200)).body.items).toHaveLength(1);
    const noKey = await t.http().post(`/api/v1/interventions/${ids.iv}/deliveries`).set(as.dewi).send(delivery);
    expect([noKey.status, noKey.body.details.fields]).toEqual([400, [{ field: 'Idempotency-Key', reason: 'header is required' }]]);
    expect((await t.http().get(`/api/v1/cases/${ids.case}`).set(as.sri).expect(200)).body.state).toBe('intervened');
  });

  it("today's re-measurement, a month after the first, moves the case by itself; the intervention is completed and verified, and the case resolved", async () => {
    t.clock.advance(5 * 60_000); // the same day, a few minutes on, as when the walk-through is typed
    const reading = await t.http().post(`/api/v1/subjects/${ids.child}/measurements`).set(as.sri).send({ measuredAt: '2026-11-23', heightCm: 84.6, weightKg: 10.9, method: 'berdiri' });
    expect([reading.status, reading.body.caseId, reading.body.caseEffect]).toEqual([201, ids.case, 'remeasured']);
    // The one way: the same reading sent again as a case event is refused, the case has moved on.
    const twice = await t.http().post(`/api/v1/cases/${ids.case}/events`).set(as.sri).set('If-Match', await version(`cases/${ids.case}`))
      .send({ type: 'RECORD_REMEASUREMENT', measuredAt: '2026-11-23T03:00:00Z', heightCm: 84.6, weightKg: 10.9, method: 'standing' });
    expect([twice.status, twice.body.error]).toEqual([409, 'INVALID_TRANSITION']);
    expect((await t.http().get(`/api/v1/cases/${ids.case}`).set(as.sri).expect(200)).body.state).toBe('remeasured');

    const iv = `interventions/${ids.iv}`;
    expect((await send(iv, as.dewi, { type: 'COMPLETE', note: '56 hari selesai' })).state).toBe('completed');
    expect((await send(iv, as.sri, { type: 'VERIFY' })).state).toBe('verified');
    const stale = await t.http().post(`/api/v1/cases/${ids.case}/events`).set(as.sri).set('If-Match', '1').send({ type: 'RESOLVE', note: 'x' });
    expect([stale.status, stale.body.error]).toEqual([409, 'VERSION_CONFLICT']);
    const none = await t.http().post(`/api/v1/cases/${ids.case}/events`).set(as.sri).send({ type: 'RESOLVE', note: 'x' });
    expect([none.status, none.body.error]).toEqual([428, 'PRECONDITION_REQUIRED']);
    expect((await send(`cases/${ids.case}`, as.sri, { type: 'RESOLVE', note: 'HAZ naik lebih dari 0,5 sejak identifikasi' })).state).toBe('resolved');

    const history = await t.http().get(`/api/v1/cases/${ids.case}/history`).set(as.sri).expect(200);
    expect(history.body.items.map((h: { toState: string }) => h.toState)).toEqual(['identified', 'audited', 'intervened', 'remeasured', 'resolved']);
    const report = await t.http().get(`/api/v1/sponsors/${ids.sponsor}/report`).set(as.dewi).expect(200);
    expect(report.body.totals).toMatchObject({ interventions: 1, deliveries: 1 });
    const gone = await t.http().get(`/api/v1/cases/${randomUUID()}`).set(as.sri);
    expect([gone.status, gone.body.error]).toEqual([404, 'NOT_FOUND']);
    await t.http().get('/api/v1/users/me').expect(401);
  });

  it('every answer above matched the document, and the document covers every route with its answers and errors', async () => {
    expect(t.contractViolations).toEqual([]);
    const doc = buildOpenApiDocument(t.app);
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      (['get', 'post', 'put', 'patch', 'delete'] as const).flatMap((m) => (item[m] ? [{ path, m, op: item[m]! }] : [])),
    );
    expect(operations.length).toBeGreaterThan(60);
    for (const { path, m, op } of operations) {
      const where = `${m.toUpperCase()} ${path}`;
      expect([where, typeof op.summary]).toEqual([where, 'string']);
      const success = Object.keys(op.responses).filter((s) => /^2/.test(s));
      expect([where, success.length > 0]).toEqual([where, true]);
      for (const s of success) {
        const r = op.responses[s] as { content?: unknown };
        expect([where, s, s === '204' || Boolean(r.content)]).toEqual([where, s, true]);
      }
      expect([where, Array.isArray(op.security)]).toEqual([where, true]);
      if (path !== '/health') expect([where, Object.keys(op.responses).some((s) => /^4/.test(s))]).toEqual([where, true]);
      for (const name of (path.match(/\{(\w+)\}/g) ?? []).map((p) => p.slice(1, -1))) {
        expect([where, (op.parameters ?? []).some((p) => 'in' in p && p.in === 'path' && p.name === name)]).toEqual([where, true]);
      }
    }
  });
});
