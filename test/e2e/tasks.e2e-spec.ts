import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EscalationSweeper } from '../../src/modules/escalation/escalation.sweeper.js';
import { createTestApp, T0, type TestApp } from '../support/test-app.js';
import { bearer, buildWorld, passwordOf, createUser, REGENCY_A, type World } from '../support/world.js';
import { login } from '../support/test-app.js';

const DAY = 86_400_000;

/**
 * OPD tasks through every state, and an escalation ladder walked rung by rung with the injected
 * clock: each rung fires once, at its time, to the people the policy names.
 */
describe('OPD tasks and the escalation ladder', () => {
  let t: TestApp;
  let w: World;
  let cm: Record<string, string>;
  let auditor: Record<string, string>;
  let liaison: Record<string, string>;
  let admin: Record<string, string>;
  let ids: { aksChair: string; tppsChair: string; opdHead: string; liaison2: string };
  let liaison2: Record<string, string>;
  let sweeper: EscalationSweeper;

  const auditBody = (recommendations: object[]) => ({
    type: 'RECORD_AUDIT',
    auditedAt: T0.toISOString(),
    cycle: '2026-S2',
    causes: ['INADEQUATE_INTAKE'],
    recommendations,
    experts: [{ specialty: 'SpA' }],
  });

  /** A fresh case, audited now, with one task per recommendation; returns the tasks. */
  const auditedCase = async (name: string, recommendations: object[]) => {
    const subject = await t
      .http()
      .post('/api/v1/subjects')
      .set(cm)
      .send({ targetGroup: 'BALITA', name, sex: 'F', birthDate: '2024-03-01', villageCode: REGENCY_A.village })
      .expect(201);
    const opened = await t.http().post('/api/v1/cases').set(cm).send({ subjectId: subject.body.id, identifiedAt: T0.toISOString().slice(0, 10), source: 'manual' }).expect(201);
    await t.http().post(`/api/v1/cases/${opened.body.id}/events`).set(auditor).set('If-Match', '"1"').send(auditBody(recommendations)).expect(200);
    const tasks = await t.http().get(`/api/v1/tasks?caseId=${opened.body.id}`).set(cm).expect(200);
    return { caseId: opened.body.id as string, tasks: tasks.body.items as { id: string; version: number; action: string; opd: { code: string } }[] };
  };

  const send = (taskId: string, version: number, body: object, who: Record<string, string>) =>
    t.http().post(`/api/v1/tasks/${taskId}/events`).set(who).set('If-Match', `"${version}"`).send(body);

  const escalationsOf = async (aggregateId: string) => {
    const rows = await t.sql<{ level: number; step: string; recipients: { rule: string; userId?: string; email?: string; missing?: boolean }[]; fired_at: Date }>(
      `SELECT level, step, recipients, fired_at FROM escalations WHERE aggregate_id = $1 ORDER BY step, level`,
      [aggregateId],
    );
    return rows;
  };

  beforeAll(async () => {
    t = await createTestApp({ JWT_TTL_SECONDS: String(30 * 24 * 3600) });
    w = await buildWorld(t);
    cm = bearer(w.a.tokens.case_manager);
    auditor = bearer(w.a.tokens.auditor);
    liaison = bearer(w.a.tokens.opd_liaison);
    admin = bearer(w.a.tokens.admin);
    const national = bearer(w.nationalToken);
    await t.http().post('/api/v1/opds').set(national).send({ regencyCode: REGENCY_A.code, code: 'DP2KB', name: 'DP2KB Bekasi' }).expect(201);
    const dp2kb = (await t.http().get('/api/v1/opds').set(national).expect(200)).body.items.find((o: { code: string; regencyCode: string }) => o.code === 'DP2KB' && o.regencyCode === REGENCY_A.code);
    const l2 = await createUser(t, w.nationalToken, { username: 'liaison.dp2kb', role: 'opd_liaison', regencyCode: REGENCY_A.code, opdId: dp2kb.id });
    liaison2 = bearer(await login(t, 'liaison.dp2kb', l2.password));
    const aksChair = await createUser(t, w.nationalToken, { username: 'ketua.aks', role: 'viewer', regencyCode: REGENCY_A.code });
    const tppsChair = await createUser(t, w.nationalToken, { username: 'wakil.bupati', role: 'viewer', regencyCode: REGENCY_A.code });
    const opdHead = await createUser(t, w.nationalToken, { username: 'kadinkes', role: 'viewer', regencyCode: REGENCY_A.code });
    ids = { aksChair: aksChair.id, tppsChair: tppsChair.id, opdHead: opdHead.id, liaison2: l2.id };
    await t.http().patch(`/api/v1/opds/${w.a.opdId}`).set(national).send({ headUserId: opdHead.id }).expect(200);
    await t
      .http()
      .put(`/api/v1/sla-policies/${REGENCY_A.code}`)
      .set(admin)
      .send({
        days: { identified: 30, audited: 60, intervened: 30, remeasured: 7 },
        contacts: { aksChairUserId: aksChair.id, tppsChairUserId: tppsChair.id, tppsChairEmail: 'wabup@bekasikab.go.id' },
      })
      .expect(200);
    sweeper = t.app.get(EscalationSweeper);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('refuses a policy with a broken ladder, bad holidays or a chair from elsewhere, naming the field', async () => {
    const days = { identified: 30, audited: 60, intervened: 30, remeasured: 7 };
    const put = (body: object) => t.http().put(`/api/v1/sla-policies/${REGENCY_A.code}`).set(admin).send({ days, ...body });
    const field = async (body: object) => (await put(body).expect(400)).body.details.fields.map((f: { field: string }) => f.field);
    expect(await field({ ladder: [{ level: 2, afterDays: 0, notify: ['assignee'], channels: ['inbox'] }] })).toEqual(['ladder.0.level']);
    expect(
      await field({
        ladder: [
          { level: 1, afterDays: 3, notify: ['assignee'], channels: ['inbox'] },
          { level: 2, afterDays: 1, notify: ['supervisor'], channels: ['inbox'] },
        ],
      }),
    ).toEqual(['ladder.1.afterDays']);
    expect(await field({ ladder: [{ level: 1, afterDays: 0, notify: ['boss'], channels: ['inbox'] }] })).toEqual(['ladder.0.notify']);
    expect(await field({ holidays: ['25-12-2026'] })).toEqual(['holidays']);
    expect(await field({ contacts: { aksChairUserId: w.b.userIds.viewer } })).toEqual(['contacts.aksChairUserId']);
    expect(await field({ tasks: { acknowledgeWorkingDays: 0, completeDays: 14, verifyDays: 7, reassignWorkingDays: 3 } })).toEqual(['tasks.acknowledgeWorkingDays']);
    const policy = await t.http().get(`/api/v1/sla-policies/${REGENCY_A.code}`).set(cm).expect(200);
    expect(policy.body).toMatchObject({ tasks: { acknowledgeWorkingDays: 3, completeDays: 14 }, contacts: { aksChairUserId: ids.aksChair } });
    expect(policy.body.ladder.map((r: { level: number; afterDays: number }) => [r.level, r.afterDays])).toEqual([[1, 0], [2, 1], [3, 7], [4, 14]]);
  });

  it('an audit gives each recommendation to its OPD as a task, with deadlines from the policy', async () => {
    t.clock.set(T0);
    const { tasks } = await auditedCase('Siti Aminah', [
      { action: 'PMT lokal 90 hari', opdCode: 'DINKES' },
      { action: 'Jamban sehat', opdCode: 'DP2KB', dueInDays: 30 },
    ]);
    expect(tasks.map((x) => [x.opd.code, x.action]).sort()).toEqual([['DINKES', 'PMT lokal 90 hari'], ['DP2KB', 'Jamban sehat']]);
    const dinkes = (await t.http().get(`/api/v1/tasks/${tasks.find((x) => x.opd.code === 'DINKES')!.id}`).set(cm).expect(200)).body;
    // T0 is Monday 10:00 WIB: 3 working days → Thursday, same hour; completion 14 calendar days.
    expect(dinkes).toMatchObject({ state: 'assigned', step: 'acknowledge', ackDueAt: '2026-11-26T03:00:00.000Z', dueAt: new Date(T0.getTime() + 14 * DAY).toISOString() });
    const dp2kb = (await t.http().get(`/api/v1/tasks/${tasks.find((x) => x.opd.code === 'DP2KB')!.id}`).set(cm).expect(200)).body;
    expect(dp2kb.dueAt).toBe(new Date(T0.getTime() + 30 * DAY).toISOString());
  });

  it("an OPD liaison's inbox holds their own OPD's tasks, with only what the task needs of the child", async () => {
    const inbox = await t.http().get('/api/v1/tasks').set(liaison).expect(200);
    expect(inbox.body.items.length).toBeGreaterThan(0);
    for (const item of inbox.body.items) expect(item.opd.code).toBe('DINKES');
    expect(inbox.body.items[0].subject).toEqual({
      id: expect.any(String),
      firstName: 'Siti',
      targetGroup: 'BALITA',
      ageBand: expect.stringMatching(/months$/),
      villageCode: REGENCY_A.village,
      villageName: 'Setiadarma',
      districtName: 'Tambun Selatan',
    });
    const text = JSON.stringify(inbox.body);
    expect(text).not.toMatch(/nik|Aminah|INADEQUATE_INTAKE|causes|birthDate/i);
    const other = await t.http().get('/api/v1/tasks').set(bearer(w.b.tokens.opd_liaison)).expect(200);
    expect(other.body.items).toEqual([]);
    await t.http().get(`/api/v1/tasks?opdId=${w.b.opdId}`).set(liaison).expect(403);
    const foreign = inbox.body.items[0].id;
    await t.http().get(`/api/v1/tasks/${foreign}`).set(liaison2).expect(404);
    await t.http().get('/api/v1/tasks').set(bearer(w.a.tokens.csr_partner)).expect(403);
  });

  it('walks a task through acknowledged, in_progress, done and verified, each by its own role', async () => {
    t.clock.set(T0);
    const { tasks } = await auditedCase('Budi Santoso', [{ action: 'Konseling MP-ASI', opdCode: 'DINKES' }]);
    const id = tasks[0].id;
    await t.http().post(`/api/v1/tasks/${id}/events`).set(liaison).send({ type: 'ACKNOWLEDGE' }).expect(428);
    await send(id, 1, { type: 'VERIFY' }, liaison).expect(403);
    await send(id, 1, { type: 'ACKNOWLEDGE' }, liaison2).expect(404);
    let r = await send(id, 1, { type: 'ACKNOWLEDGE' }, liaison).expect(200);
    expect(r.body).toMatchObject({ state: 'acknowledged', step: 'complete', version: 2, allowedEvents: ['START', 'DECLINE'] });
    await send(id, 1, { type: 'START' }, liaison).expect(409);
    await send(id, 2, { type: 'COMPLETE', note: 'x', evidence: [] }, liaison).expect(400);
    r = await send(id, 2, { type: 'START' }, liaison).expect(200);
    expect(r.body.state).toBe('in_progress');
    const bad = await send(id, 3, { type: 'COMPLETE', note: 'Selesai', evidence: [] }, liaison).expect(400);
    expect(JSON.stringify(bad.body)).toContain('evidence');
    r = await send(id, 3, { type: 'COMPLETE', note: 'Konseling 3 sesi', evidence: [{ kind: 'photo', description: 'Foto sesi', url: 'https://example.org/f.jpg' }] }, liaison).expect(200);
    expect(r.body).toMatchObject({ state: 'done', step: 'verify', context: { completion: { note: 'Konseling 3 sesi' } } });
    const invalid = await send(id, 4, { type: 'START' }, liaison).expect(409);
    expect(invalid.body).toMatchObject({ error: 'INVALID_TRANSITION', details: { state: 'done', allowedEvents: [] } });
    const stale = await send(id, 3, { type: 'VERIFY' }, cm).expect(409);
    expect(stale.body.error).toBe('VERSION_CONFLICT');
    r = await send(id, 4, { type: 'VERIFY', note: 'Terverifikasi' }, cm).expect(200);
    expect(r.body).toMatchObject({ state: 'verified', step: null, stepDueAt: null, allowedEvents: [] });
    const history = await t.http().get(`/api/v1/tasks/${id}/history`).set(cm).expect(200);
    expect(history.body.items.map((h: { type: string }) => h.type)).toEqual(['ASSIGN', 'ACKNOWLEDGE', 'START', 'COMPLETE', 'VERIFY']);
    expect(await t.sql(`SELECT 1 FROM step_deadlines WHERE aggregate_id = $1`, [id])).toHaveLength(0);
  });

  it('a declined task is reassigned by the case manager to another OPD, linked to the old one; a task can be cancelled', async () => {
    t.clock.set(T0);
    const { caseId, tasks } = await auditedCase('Ani Lestari', [{ action: 'Air minum layak', opdCode: 'DINKES' }]);
    const id = tasks[0].id;
    await send(id, 1, { type: 'DECLINE' }, liaison).expect(400);
    let r = await send(id, 1, { type: 'DECLINE', reason: 'Urusan air minum ada di PUPR/DP2KB' }, liaison).expect(200);
    expect(r.body).toMatchObject({ state: 'declined', step: 'reassign', allowedEvents: [] });
    await send(id, 2, { type: 'REASSIGN', opdCode: 'DINKES' }, cm).expect(400);
    await send(id, 2, { type: 'REASSIGN', opdCode: 'NOPE' }, cm).expect(400);
    r = await send(id, 2, { type: 'REASSIGN', opdCode: 'DP2KB' }, cm).expect(200);
    expect(r.body.state).toBe('closed');
    const successor = r.body.context.reassignedTo as string;
    const next = await t.http().get(`/api/v1/tasks/${successor}`).set(liaison2).expect(200);
    expect(next.body).toMatchObject({ state: 'assigned', replacesTaskId: id, action: 'Air minum layak', caseId, opd: { code: 'DP2KB' } });

    const added = await t.http().post(`/api/v1/cases/${caseId}/tasks`).set(cm).send({ opdCode: 'DINKES', action: 'Kunjungan rumah', dueInDays: 7 }).expect(201);
    await t.http().post(`/api/v1/cases/${caseId}/tasks`).set(cm).send({ opdCode: 'NOPE', action: 'x' }).expect(400);
    await t.http().post(`/api/v1/cases/${caseId}/tasks`).set(liaison).send({ opdCode: 'DINKES', action: 'x' }).expect(403);
    r = await send(added.body.id, 1, { type: 'CANCEL', reason: 'Digabung dengan tugas lain' }, cm).expect(200);
    expect(r.body.state).toBe('cancelled');
  });

  it('closing a case leaves a task already done to be verified', async () => {
    t.clock.set(T0);
    const { caseId, tasks } = await auditedCase('Lina Marlina', [{ action: 'PMT', opdCode: 'DINKES' }]);
    const id = tasks[0].id;
    await send(id, 1, { type: 'ACKNOWLEDGE' }, liaison).expect(200);
    await send(id, 2, { type: 'START' }, liaison).expect(200);
    await send(id, 3, { type: 'COMPLETE', note: 'Selesai', evidence: [{ kind: 'note', description: 'x' }] }, liaison).expect(200);
    await t.http().post(`/api/v1/cases/${caseId}/events`).set(cm).set('If-Match', '"2"').send({ type: 'CLOSE', reason: 'moved_away', note: 'Pindah' }).expect(200);
    const task = await t.http().get(`/api/v1/tasks/${id}`).set(cm).expect(200);
    expect(task.body).toMatchObject({ state: 'done', step: 'verify' });
    await send(id, 4, { type: 'VERIFY' }, cm).expect(200);
  });

  it('closing a case cancels its open tasks and their deadlines', async () => {
    t.clock.set(T0);
    const { caseId, tasks } = await auditedCase('Dewi Sartika', [{ action: 'PMT', opdCode: 'DINKES' }]);
    await t.http().post(`/api/v1/cases/${caseId}/events`).set(cm).set('If-Match', '"2"').send({ type: 'CLOSE', reason: 'moved_away', note: 'Pindah ke Bandung' }).expect(200);
    const task = await t.http().get(`/api/v1/tasks/${tasks[0].id}`).set(cm).expect(200);
    expect(task.body).toMatchObject({ state: 'cancelled', context: { cancelReason: 'the case was closed' } });
    expect(await t.sql(`SELECT 1 FROM step_deadlines WHERE aggregate_id = ANY($1::uuid[])`, [[caseId, tasks[0].id]])).toHaveLength(0);
    // Each entry says what set it off: the audit opened the task, the closing cancelled it.
    const history = await t.http().get(`/api/v1/tasks/${tasks[0].id}/history`).set(cm).expect(200);
    expect(history.body.items.map((h: { type: string; cause: { aggregate: string; id: string; event: string } | null }) => [h.type, h.cause])).toEqual([
      ['ASSIGN', { aggregate: 'case', id: caseId, event: 'RECORD_AUDIT' }],
      ['CANCEL', { aggregate: 'case', id: caseId, event: 'CLOSE' }],
    ]);
  });

  it('climbs every rung of the ladder once, at its time, to the people the policy names', async () => {
    t.clock.set(T0);
    await sweeper.sweep();
    const { caseId, tasks } = await auditedCase('Rina Wati', [{ action: 'PMT pemulihan', opdCode: 'DINKES' }]);
    const id = tasks[0].id;
    const ackDue = new Date('2026-11-26T03:00:00.000Z').getTime();

    t.clock.set(new Date(ackDue - 60_000));
    await sweeper.sweep();
    expect(await escalationsOf(id)).toHaveLength(0);

    const expected: [number, number, { rule: string; userId?: string; email?: string }[]][] = [
      [1, 0, [{ rule: 'assignee', userId: w.a.userIds.opd_liaison }]],
      [2, 1, [{ rule: 'supervisor', userId: w.a.userIds.case_manager }]],
      [3, 7, [{ rule: 'opd_head', userId: ids.opdHead }, { rule: 'aks_chair', userId: ids.aksChair }]],
      [4, 14, [{ rule: 'tpps_chair', userId: ids.tppsChair }, { rule: 'tpps_chair', email: 'wabup@bekasikab.go.id' }]],
    ];
    for (const [level, afterDays, recipients] of expected) {
      t.clock.set(new Date(ackDue + afterDays * DAY));
      await sweeper.sweep();
      await sweeper.sweep(); // a second sweep at the same time adds nothing
      const fired = await escalationsOf(id);
      expect(fired.map((e) => e.level)).toEqual(Array.from({ length: level }, (_, i) => i + 1));
      const rung = fired[level - 1];
      expect(rung.step).toBe('acknowledge');
      expect(rung.recipients).toEqual(recipients);
      expect(rung.fired_at.getTime()).toBe(ackDue + afterDays * DAY);
    }
    t.clock.set(new Date(ackDue + 25 * DAY));
    await sweeper.sweep();
    expect(await escalationsOf(id)).toHaveLength(4);

    // Shown on the case, and in the inboxes of the people reached.
    const caseView = await t.http().get(`/api/v1/cases/${caseId}`).set(cm).expect(200);
    expect(caseView.body).toMatchObject({ state: 'audited', escalationLevel: 0 });
    const onCase = await t.http().get(`/api/v1/escalations?caseId=${caseId}`).set(cm).expect(200);
    expect(onCase.body.items.filter((e: { aggregateId: string }) => e.aggregateId === id).map((e: { level: number }) => e.level)).toEqual([4, 3, 2, 1]);
    expect(onCase.body.items[0]).toMatchObject({ lateBySeconds: expect.any(Number), recipients: expect.any(Array) });
    const headInbox = await t.http().get('/api/v1/notifications').set(bearer(await login(t, 'kadinkes', passwordOf('kadinkes')))).expect(200);
    expect(headInbox.body.items.some((n: { body: { aggregateId: string; level: number } }) => n.body.aggregateId === id && n.body.level === 3)).toBe(true);
    const liaisonInbox = await t.http().get('/api/v1/notifications?unread=true').set(liaison).expect(200);
    const mine = liaisonInbox.body.items.find((n: { body: { aggregateId: string } }) => n.body.aggregateId === id);
    expect(mine).toMatchObject({ kind: 'escalation', readAt: null });
    expect(mine.title).not.toMatch(/Rina/);
    await t.http().post(`/api/v1/notifications/${mine.id}/read`).set(liaison).expect(204);
    await t.http().post(`/api/v1/notifications/${mine.id}/read`).set(cm).expect(404);
    const after = await t.http().get('/api/v1/notifications?unread=true').set(liaison).expect(200);
    expect(after.body.items.some((n: { id: string }) => n.id === mine.id)).toBe(false);
  });

  it('completing a step cancels its remaining rungs; the next step starts its own ladder', async () => {
    t.clock.set(T0);
    const { tasks } = await auditedCase('Joko Susilo', [{ action: 'PMT', opdCode: 'DINKES' }]);
    const id = tasks[0].id;
    const ackDue = new Date('2026-11-26T03:00:00.000Z').getTime();
    t.clock.set(new Date(ackDue + 60_000));
    await sweeper.sweep();
    expect((await escalationsOf(id)).map((e) => [e.step, e.level])).toEqual([['acknowledge', 1]]);
    const task = (await t.http().get(`/api/v1/tasks/${id}`).set(liaison).expect(200)).body;
    expect(task).toMatchObject({ overdue: true, escalationLevel: 1 });
    const acknowledged = (await send(id, task.version, { type: 'ACKNOWLEDGE' }, liaison).expect(200)).body;
    // A new step starts at level 0, in the answer as in a later read.
    expect(acknowledged).toMatchObject({ step: 'complete', escalationLevel: 0 });
    t.clock.set(new Date(ackDue + 8 * DAY));
    await sweeper.sweep();
    // No acknowledge rungs after the acknowledgement; the completion deadline (T0 + 14 days) is not due yet.
    expect((await escalationsOf(id)).map((e) => [e.step, e.level])).toEqual([['acknowledge', 1]]);
    t.clock.set(new Date(T0.getTime() + 14 * DAY));
    await sweeper.sweep();
    expect((await escalationsOf(id)).map((e) => [e.step, e.level])).toEqual([['acknowledge', 1], ['complete', 1]]);
    // Starting the work keeps the completion step: its escalation goes on, and the answer says so.
    const started = (await send(id, acknowledged.version, { type: 'START' }, liaison).expect(200)).body;
    expect(started).toMatchObject({ state: 'in_progress', step: 'complete', escalationLevel: 1 });
    expect((await t.http().get(`/api/v1/tasks/${id}`).set(liaison).expect(200)).body).toEqual(started);
  });

  it('reports what is overdue, by OPD, village and state, with the oldest', async () => {
    t.clock.set(new Date(T0.getTime() + 20 * DAY));
    const byOpd = await t.http().get('/api/v1/reports/overdue?groupBy=opd').set(bearer(w.a.tokens.viewer)).expect(200);
    const dinkes = byOpd.body.groups.find((g: { key: string }) => g.key === w.a.opdId);
    expect(dinkes).toMatchObject({ label: expect.stringContaining('Dinas Kesehatan'), count: expect.any(Number), oldestOverdueDays: expect.any(Number) });
    expect(dinkes.count).toBeGreaterThan(0);
    const byState = await t.http().get('/api/v1/reports/overdue?groupBy=state').set(cm).expect(200);
    expect(byState.body.groups.map((g: { key: string }) => g.key)).toEqual(expect.arrayContaining(['task:acknowledge']));
    const byVillage = await t.http().get('/api/v1/reports/overdue?groupBy=village').set(cm).expect(200);
    expect(byVillage.body.groups[0]).toMatchObject({ key: REGENCY_A.village, label: expect.any(String) });
    const mine = await t.http().get('/api/v1/reports/overdue?groupBy=opd').set(liaison2).expect(200);
    for (const g of mine.body.groups) expect(g.key).not.toBe(w.a.opdId);
    await t.http().get('/api/v1/reports/overdue?groupBy=nope').set(cm).expect(400);
    await t.http().get(`/api/v1/reports/overdue?groupBy=opd&regencyCode=${w.b.regencyCode}`).set(cm).expect(403);
    const overdueInbox = await t.http().get('/api/v1/tasks?overdue=true').set(liaison).expect(200);
    for (const item of overdueInbox.body.items) expect(item.overdue).toBe(true);
    const levels = await t.http().get('/api/v1/escalations?level=4').set(cm).expect(200);
    for (const e of levels.body.items) expect(e.level).toBe(4);
    await t.http().get('/api/v1/escalations?level=0').set(cm).expect(400);
    await t.http().get('/api/v1/escalations').set(bearer(w.b.tokens.case_manager)).expect(200).then((r) => expect(r.body.items).toEqual([]));
  });
});
