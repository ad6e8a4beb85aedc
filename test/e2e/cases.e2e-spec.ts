import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ageInDays, whoTables } from '../../src/modules/growth/who/who-growth.js';
import { checkEveryCaseReplays, rawCase } from '../support/cases.js';
import { createTestApp, login, type TestApp } from '../support/test-app.js';
import { bearer, buildWorld, passwordOf, REGENCY_A, type World } from '../support/world.js';

const DAY = 86_400_000;

describe('case lifecycle over HTTP', () => {
  let t: TestApp;
  let w: World;
  let cm: Record<string, string>;
  let auditor: Record<string, string>;
  let admin: Record<string, string>;

  const newSubject = async (name: string) =>
    (
      await t
        .http()
        .post('/api/v1/subjects')
        .set(cm)
        .send({ targetGroup: 'BALITA', name, sex: 'F', birthDate: '2024-03-01', villageCode: REGENCY_A.village })
        .expect(201)
    ).body.id as string;
  const open = async (name: string) =>
    (await t.http().post('/api/v1/cases').set(cm).send({ subjectId: await newSubject(name), identifiedAt: '2026-11-01', source: 'manual' }).expect(201))
      .body;
  const send = (id: string, version: number | undefined, body: object, who = cm) => {
    const req = t.http().post(`/api/v1/cases/${id}/events`).set(who);
    return (version === undefined ? req : req.set('If-Match', `"${version}"`)).send(body);
  };
  const audit = {
    type: 'RECORD_AUDIT',
    auditedAt: '2026-11-10',
    cycle: '2026-S2',
    causes: ['INADEQUATE_INTAKE', 'WATER_SANITATION'],
    recommendations: [
      { action: 'PMT lokal 90 hari', opdCode: 'DINKES', dueInDays: 14 },
      { action: 'Jamban sehat', opdCode: 'DINKES' },
    ],
    experts: [{ specialty: 'SpA', name: 'dr. Rina, Sp.A' }, { specialty: 'GIZI' }],
  };

  /** Records a height giving about `haz` for the girl born 2024-03-01 of these tests; returns the stored HAZ. */
  const measure = async (subjectId: string, day: string, haz: number) => {
    const ageDays = ageInDays('2024-03-01', day);
    const lms = whoTables().lhfa.F[ageDays];
    const heightCm = Math.round(lms.M * (1 + lms.S * haz) * 10) / 10;
    const res = await t.http().post(`/api/v1/subjects/${subjectId}/measurements`).set(cm).send({ measuredAt: day, heightCm, method: 'standing' }).expect(201);
    expect(Math.abs(res.body.haz - haz)).toBeLessThan(0.05);
    return res.body.haz as number;
  };

  /** Sends a command that must be refused, and checks that nothing about the case changed. */
  async function refused(id: string, version: number | undefined, body: object, status: number, error: string, who = cm) {
    const before = await rawCase(t, id);
    const res = await send(id, version, body, who);
    expect([res.status, res.body.error]).toEqual([status, error]);
    expect(await rawCase(t, id)).toBe(before);
    return res;
  }

  beforeAll(async () => {
    // Tokens that outlive the days these tests move the clock by.
    t = await createTestApp({ JWT_TTL_SECONDS: String(30 * 24 * 3600) });
    w = await buildWorld(t);
    cm = bearer(w.a.tokens.case_manager);
    auditor = bearer(w.a.tokens.auditor);
    admin = bearer(w.a.tokens.admin);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists the cause taxonomy', async () => {
    const res = await t.http().get('/api/v1/catalogues/causes').set(cm).expect(200);
    expect(res.body.items).toContainEqual({ code: 'INADEQUATE_INTAKE', name: 'Asupan gizi tidak memadai', kind: 'direct' });
    expect(res.body.items.length).toBeGreaterThanOrEqual(10);
  });

  it('walks a case through every state; every refusal writes nothing', async () => {
    const c = await open('Siti Kecil');
    expect(c).toMatchObject({ state: 'identified', version: 1, overdue: false, allowedEvents: ['RECORD_AUDIT', 'CLOSE'] });
    expect(c.assignee).toEqual({ id: w.a.userIds.case_manager, displayName: 'casemanager.a' });
    expect(c.subject).toMatchObject({ name: 'Siti Kecil', targetGroup: 'BALITA', villageCode: REGENCY_A.village, villageName: 'Setiadarma', districtName: 'Tambun Selatan' });
    expect(c.subject.nik).toBeUndefined();
    expect(new Date(c.stepDueAt).getTime() - new Date(c.stepEnteredAt).getTime()).toBe(30 * DAY);
    const id = c.id as string;

    const viewed = await t.http().get(`/api/v1/cases/${id}`).set(auditor).expect(200);
    expect(viewed.headers.etag).toBe('"1"');
    expect(viewed.body.allowedEvents).toEqual(['RECORD_AUDIT']);
    const asViewer = await t.http().get(`/api/v1/cases/${id}`).set(bearer(w.a.tokens.viewer)).expect(200);
    expect(asViewer.body.allowedEvents).toEqual([]);

    // Refusals in identified
    await refused(id, undefined, audit, 428, 'PRECONDITION_REQUIRED');
    await refused(id, 7, audit, 409, 'VERSION_CONFLICT');
    const invalid = await refused(id, 1, { type: 'START_INTERVENTION', startedAt: '2026-11-12', description: 'x' }, 409, 'INVALID_TRANSITION');
    expect(invalid.body.details.allowedEvents).toEqual(['RECORD_AUDIT', 'CLOSE']);
    await refused(id, 1, { ...audit, auditedAt: '2026-12-30' }, 422, 'GUARD_FAILED');
    await refused(id, 1, { ...audit, auditedAt: '2026-10-01' }, 422, 'GUARD_FAILED');
    await refused(id, 1, { ...audit, causes: ['NOT_A_CAUSE'] }, 400, 'VALIDATION_FAILED');
    await refused(id, 1, { ...audit, causes: [] }, 400, 'VALIDATION_FAILED');
    await refused(id, 1, { ...audit, recommendations: [{ action: 'x', opdCode: 'PUPR' }] }, 400, 'VALIDATION_FAILED');
    await refused(id, 1, { ...audit, state: 'resolved' }, 400, 'VALIDATION_FAILED');
    await refused(id, 1, { type: 'TELEPORT' }, 400, 'VALIDATION_FAILED');
    await refused(id, 1, audit, 403, 'FORBIDDEN', bearer(w.a.tokens.viewer));
    await refused(id, 1, { type: 'REOPEN', note: 'x' }, 403, 'FORBIDDEN');
    const guard = await refused(id, 1, { ...audit, auditedAt: '2026-12-30' }, 422, 'GUARD_FAILED');
    expect(guard.body.message).toBe('auditedAt is in the future');

    const audited = await send(id, 1, audit, auditor).expect(200);
    expect(audited.body).toMatchObject({ state: 'audited', version: 2, context: { cycle: '2026-S2' } });
    expect(audited.headers.etag).toBe('"2"');
    expect(new Date(audited.body.stepDueAt).getTime() - new Date(audited.body.stepEnteredAt).getTime()).toBe(14 * DAY);

    await refused(id, 2, { type: 'START_INTERVENTION', startedAt: '2026-11-05', description: 'PMT' }, 422, 'GUARD_FAILED');
    await send(id, 2, { type: 'START_INTERVENTION', startedAt: '2026-11-15', description: 'PMT lokal' }).expect(200);
    const early = await refused(id, 3, { type: 'RECORD_REMEASUREMENT', measuredAt: '2026-11-14', heightCm: 80, method: 'recumbent' }, 422, 'GUARD_FAILED');
    expect(early.body.message).toBe('measuredAt is before the intervention started');
    expect(await t.sql('SELECT count(*)::int AS n FROM measurements WHERE subject_id = $1', [c.subject.id])).toEqual([{ n: 0 }]);
    await refused(id, 3, { type: 'RECORD_REMEASUREMENT', measuredAt: '2026-11-20', heightCm: 500, method: 'recumbent' }, 400, 'VALIDATION_FAILED');
    const measured = await send(id, 3, { type: 'RECORD_REMEASUREMENT', measuredAt: '2026-11-20', heightCm: 80.2, weightKg: 9.4, method: 'recumbent' }).expect(200);
    expect(measured.body).toMatchObject({ state: 'remeasured', version: 4 });
    expect(measured.body.allowedEvents.sort()).toEqual(['CLOSE', 'CONTINUE_INTERVENTION', 'REAUDIT', 'RESOLVE']);

    await send(id, 4, { type: 'CONTINUE_INTERVENTION', note: 'belum naik' }).expect(200);
    await send(id, 5, { type: 'RECORD_REMEASUREMENT', measuredAt: '2026-11-21', heightCm: 80.4, method: 'recumbent' }).expect(200);
    await send(id, 6, { type: 'REAUDIT', note: 'siklus berikut' }).expect(200);
    await send(id, 7, { ...audit, auditedAt: '2026-11-22' }, auditor).expect(200);
    await send(id, 8, { type: 'START_INTERVENTION', startedAt: '2026-11-22T08:00:00+07:00', description: 'PMT lanjutan' }).expect(200);
    await send(id, 9, { type: 'RECORD_REMEASUREMENT', measuredAt: '2026-11-23T01:00:00Z', heightCm: 81, method: 'recumbent' }).expect(200);
    // Each re-measurement event stored its reading as a measurement of the case, and RESOLVE reads them.
    const stored: { day: string; case_id: string; haz: number }[] = await t.sql(
      'SELECT measured_on::text AS day, case_id, haz FROM measurements WHERE subject_id = $1 ORDER BY measured_on',
      [c.subject.id],
    );
    expect(stored.map((m) => [m.day, m.case_id])).toEqual([['2026-11-20', id], ['2026-11-21', id], ['2026-11-23', id]]);
    await refused(id, 10, { type: 'RESOLVE', note: 'x', latestHaz: 1, baselineHaz: -3 }, 400, 'VALIDATION_FAILED');
    const notYet = await refused(id, 10, { type: 'RESOLVE', note: 'x' }, 422, 'GUARD_FAILED');
    expect(notYet.body.message).toContain('outcome policy is not met');
    const before = stored[0].haz;
    const after = await measure(c.subject.id, '2026-11-23', -1.8);
    const resolved = await send(id, 10, { type: 'RESOLVE', note: 'membaik' }).expect(200);
    expect(resolved.body).toMatchObject({ state: 'resolved', version: 11, stepDueAt: null, overdue: false, allowedEvents: [] });
    await refused(id, 11, { type: 'CLOSE', reason: 'moved_away', note: 'x' }, 409, 'INVALID_TRANSITION');

    const history = await t.http().get(`/api/v1/cases/${id}/history`).set(cm).expect(200);
    expect(history.body.items.map((h: { seq: number }) => h.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(history.body.items.map((h: { type: string }) => h.type)).toEqual([
      'OPEN', 'RECORD_AUDIT', 'START_INTERVENTION', 'RECORD_REMEASUREMENT', 'CONTINUE_INTERVENTION',
      'RECORD_REMEASUREMENT', 'REAUDIT', 'RECORD_AUDIT', 'START_INTERVENTION', 'RECORD_REMEASUREMENT', 'RESOLVE',
    ]);
    expect(history.body.items[1]).toMatchObject({
      fromState: 'identified',
      toState: 'audited',
      actor: { id: w.a.userIds.auditor, role: 'auditor' },
      payload: { cycle: '2026-S2', causes: ['INADEQUATE_INTAKE', 'WATER_SANITATION'] },
    });
    expect(history.body.items[10].payload).toMatchObject({ policy: { minHaz: -2, minImprovement: 0.5 }, baselineHaz: before, latestHaz: after });
    await expect(t.sql(`UPDATE case_history SET type = 'X' WHERE case_id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(t.sql(`DELETE FROM case_history WHERE case_id = $1`, [id])).rejects.toThrow(/append-only/);
  });

  it('closes from any open step, and an admin reopens within 30 days only', async () => {
    const c = await open('Tutup');
    await refused(c.id, 1, { type: 'CLOSE', reason: 'emigrated', note: 'x' }, 400, 'VALIDATION_FAILED');
    const closed = await send(c.id, 1, { type: 'CLOSE', reason: 'moved_away', note: 'pindah ke Bandung' }).expect(200);
    expect(closed.body).toMatchObject({ state: 'closed', stepDueAt: null, context: { closeReason: 'moved_away' } });
    await refused(c.id, 2, { type: 'REOPEN', note: 'salah' }, 403, 'FORBIDDEN');
    const reopened = await send(c.id, 2, { type: 'REOPEN', note: 'ternyata tidak pindah' }, admin).expect(200);
    expect(reopened.body).toMatchObject({ state: 'identified', version: 3, context: { closedAt: null } });
    await send(c.id, 3, { type: 'CLOSE', reason: 'duplicate', note: 'dobel' }, admin).expect(200);
    t.clock.advance(31 * DAY);
    try {
      const lateAdmin = bearer(await login(t, 'admin.a', passwordOf('admin.a')));
      const late = await refused(c.id, 4, { type: 'REOPEN', note: 'x' }, 422, 'GUARD_FAILED', lateAdmin);
      expect(late.body.message).toContain('within 30 days');
    } finally {
      t.clock.advance(-31 * DAY);
    }
  });

  it('a subject has one open case at a time', async () => {
    const subjectId = await newSubject('Satu Kasus');
    const first = await t.http().post('/api/v1/cases').set(cm).send({ subjectId, identifiedAt: '2026-11-01', source: 'eppgbm' }).expect(201);
    const before = await t.sql('SELECT count(*) AS n FROM cases');
    const second = await t.http().post('/api/v1/cases').set(cm).send({ subjectId, identifiedAt: '2026-11-02', source: 'manual' });
    expect(second.status).toBe(409);
    expect(second.body.details.openCaseId).toBe(first.body.id);
    expect(await t.sql('SELECT count(*) AS n FROM cases')).toEqual(before);
    await send(first.body.id, 1, { type: 'CLOSE', reason: 'measurement_error', note: 'salah ukur' }).expect(200);
    await t.http().post('/api/v1/cases').set(cm).send({ subjectId, identifiedAt: '2026-11-03', source: 'manual' }).expect(201);
    await t.http().post('/api/v1/cases').set(cm).send({ subjectId, identifiedAt: '2027-01-01', source: 'manual' }).expect(400);
    await t.http().post('/api/v1/cases').set(cm).send({ subjectId: w.b.subjectId, identifiedAt: '2026-11-01', source: 'manual' }).expect(404);
  });

  it('the work queue orders by deadline, filters, pages, and flags overdue cases', async () => {
    await t.http().put('/api/v1/sla-policies/3216').set(admin).send({ days: { identified: 3, audited: 14, intervened: 30, remeasured: 7 } }).expect(200);
    t.clock.advance(DAY);
    const soon = await open('Antri Satu');
    t.clock.advance(-DAY);
    expect(new Date(soon.stepDueAt).getTime() - new Date(soon.stepEnteredAt).getTime()).toBe(3 * DAY);
    const all: { id: string; stepDueAt: string | null }[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { id: string; stepDueAt: string | null }[]; nextCursor: string | null } } = await t
        .http()
        .get('/api/v1/cases')
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .set(cm)
        .expect(200);
      all.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    const dues = all.map((c) => c.stepDueAt);
    expect(dues.every((d) => d !== null)).toBe(true);
    expect(dues).toEqual([...dues].sort());
    expect(new Set(all.map((c) => c.id)).size).toBe(all.length);
    expect(all[0].id).toBe(soon.id);
    const finished = await t.http().get('/api/v1/cases?state=closed').set(cm).expect(200);
    expect(finished.body.items.length).toBeGreaterThan(0);
    expect(finished.body.items.every((c: { state: string; stepDueAt: null }) => c.state === 'closed' && c.stepDueAt === null)).toBe(true);

    const mine = await t.http().get('/api/v1/cases?assignee=me&state=identified').set(cm).expect(200);
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(mine.body.items.every((c: { state: string; assignee: { id: string } }) => c.state === 'identified' && c.assignee.id === w.a.userIds.case_manager)).toBe(true);
    expect((await t.http().get('/api/v1/cases?overdue=true').set(cm).expect(200)).body.items).toEqual([]);
    t.clock.advance(5 * DAY);
    try {
      const overdue = await t.http().get('/api/v1/cases?overdue=true').set(cm).expect(200);
      expect(overdue.body.items.map((c: { id: string }) => c.id)).toEqual([soon.id]);
      expect(overdue.body.items[0].overdue).toBe(true);
    } finally {
      t.clock.advance(-5 * DAY);
      await t.http().put('/api/v1/sla-policies/3216').set(admin).send({ days: { identified: 30, audited: 14, intervened: 30, remeasured: 7 } }).expect(200);
    }
    // A change of policy applies to steps entered after it: the earlier due date stays.
    const again = await t.http().get(`/api/v1/cases/${soon.id}`).set(cm).expect(200);
    expect(again.body.stepDueAt).toBe(soon.stepDueAt);
    const fromB = await t.http().get('/api/v1/cases?limit=200').set(bearer(w.b.tokens.case_manager)).expect(200);
    expect(fromB.body.items).toEqual([]);
    await t.http().get(`/api/v1/cases/${soon.id}`).set(bearer(w.b.tokens.case_manager)).expect(404);
  });

  it('assigns a case to a case manager of its regency, recorded in history', async () => {
    const c = await open('Pindah Tangan');
    const other = await t
      .http()
      .post('/api/v1/users')
      .set(admin)
      .send({ username: 'cm2.a', password: 'a-long-password', displayName: 'Dewi', role: 'case_manager' })
      .expect(201);
    await t.http().patch(`/api/v1/cases/${c.id}/assignee`).set(cm).send({ userId: w.a.userIds.viewer }).expect(400);
    await t.http().patch(`/api/v1/cases/${c.id}/assignee`).set(cm).send({ userId: w.b.userIds.case_manager }).expect(400);
    await t.http().patch(`/api/v1/cases/${c.id}/assignee`).set(cm).set('If-Match', '"9"').send({ userId: other.body.id }).expect(409);
    const moved = await t.http().patch(`/api/v1/cases/${c.id}/assignee`).set(cm).set('If-Match', '"1"').send({ userId: other.body.id }).expect(200);
    expect(moved.body).toMatchObject({ version: 2, state: 'identified', assignee: { id: other.body.id, displayName: 'Dewi' } });
    const history = await t.http().get(`/api/v1/cases/${c.id}/history`).set(cm).expect(200);
    expect(history.body.items[1]).toMatchObject({ seq: 2, type: 'ASSIGN', fromState: 'identified', toState: 'identified' });
  });

  it('20 concurrent events with the same If-Match: exactly one wins, history gains one row', async () => {
    const c = await open('Rebutan');
    const results = await Promise.all(Array.from({ length: 20 }, () => send(c.id, 1, audit, auditor)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, ...Array(19).fill(409)]);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.error === 'VERSION_CONFLICT' && r.body.details.currentVersion === 2)).toBe(true);
    const history = await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM case_history WHERE case_id = $1', [c.id]);
    expect(history[0].n).toBe(2);
  });

  it('every case replays from its history to its stored state', async () => {
    expect(await checkEveryCaseReplays(t)).toBeGreaterThan(5);
  });
});
