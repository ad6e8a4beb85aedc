import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EscalationSweeper } from '../../src/modules/escalation/escalation.sweeper.js';
import { createTestApp, login, T0, type TestApp } from '../support/test-app.js';
import { bearer, buildWorld, createUser, nikFor, REGENCY_A, type World } from '../support/world.js';

const DAY = 86_400_000;
const at = (days: number) => new Date(T0.getTime() + days * DAY);

/**
 * A CSR-funded intervention from proposal to verification: the first delivery starts the case's
 * intervention, a stalled one escalates to the sponsor's partners, and the sponsor's report
 * shows children by pseudonym unless their guardian consented.
 */
describe('CSR-funded interventions', () => {
  let t: TestApp;
  let w: World;
  let cm: Record<string, string>;
  let partner: Record<string, string>;
  let otherPartner: Record<string, string>;
  let otherSponsorId: string;
  let admin: Record<string, string>;
  let nik: string;
  let subjectId: string;
  let caseId: string;
  let interventionId: string;
  /** Every raw body a CSR partner received: none may hold a NIK. */
  const partnerSaw: string[] = [];

  const asPartner = async <T extends { text: string }>(p: Promise<T>): Promise<T> => {
    const res = await p;
    partnerSaw.push(res.text);
    return res;
  };
  const send = (id: string, version: number, body: object, who: Record<string, string>) =>
    t.http().post(`/api/v1/interventions/${id}/events`).set(who).set('If-Match', `"${version}"`).send(body);
  const deliver = (id: string, key: string, body: object, who: Record<string, string> = partner) =>
    t.http().post(`/api/v1/interventions/${id}/deliveries`).set(who).set('Idempotency-Key', key).send(body);
  const caseState = async () => (await t.http().get(`/api/v1/cases/${caseId}`).set(cm).expect(200)).body as { state: string; version: number };

  beforeAll(async () => {
    t = await createTestApp({ JWT_TTL_SECONDS: String(30 * 24 * 3600) });
    w = await buildWorld(t);
    cm = bearer(w.a.tokens.case_manager);
    partner = bearer(w.a.tokens.csr_partner);
    admin = bearer(w.a.tokens.admin);
    const other = await t
      .http()
      .post('/api/v1/sponsors')
      .set(bearer(w.nationalToken))
      .send({ name: 'PT Lain Sejahtera', type: 'company', regencyCodes: [REGENCY_A.code] })
      .expect(201);
    otherSponsorId = other.body.id;
    const u = await createUser(t, w.nationalToken, { username: 'csr.lain', role: 'csr_partner', regencyCode: REGENCY_A.code, sponsorId: otherSponsorId });
    otherPartner = bearer(await login(t, 'csr.lain', u.password));
    await t
      .http()
      .put(`/api/v1/sla-policies/${REGENCY_A.code}`)
      .set(admin)
      .send({ days: { identified: 30, audited: 60, intervened: 60, remeasured: 30 }, interventions: { firstDeliveryDays: 7, graceDays: 2 } })
      .expect(200);

    // A stunted girl, found at the posyandu: the reading opens her case; an audit follows.
    t.clock.set(T0);
    nik = nikFor(REGENCY_A.district, '010324');
    const s = await t
      .http()
      .post('/api/v1/subjects')
      .set(cm)
      .send({ targetGroup: 'BALITA', name: 'Putri Ayu Lestari', sex: 'F', birthDate: '2024-03-01', nik, villageCode: REGENCY_A.village })
      .expect(201);
    subjectId = s.body.id;
    const m = await t.http().post(`/api/v1/subjects/${subjectId}/measurements`).set(cm).send({ measuredAt: '2026-11-23', heightCm: 82, weightKg: 10.2, method: 'standing' }).expect(201);
    caseId = m.body.caseId;
    expect(caseId).toBeTruthy();
    await t
      .http()
      .post(`/api/v1/cases/${caseId}/events`)
      .set(bearer(w.a.tokens.auditor))
      .set('If-Match', '"1"')
      .send({ type: 'RECORD_AUDIT', auditedAt: T0.toISOString(), cycle: '2026-S2', causes: ['INADEQUATE_INTAKE'], recommendations: [{ action: 'PMT', opdCode: 'DINKES' }], experts: [{ specialty: 'GIZI' }] })
      .expect(200);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('lists the catalogue; an admin adds a regency entry and retires one', async () => {
    const list = await t.http().get('/api/v1/catalogues/interventions').set(cm).expect(200);
    const baas = list.body.items.find((e: { code: string }) => e.code === 'BAAS_PAKET');
    expect(baas).toMatchObject({ kind: 'spesifik', defaultDays: 180, cadenceDays: 30, unit: 'bulan', opdCode: 'DP2KB' });
    expect(list.body.items.find((e: { code: string }) => e.code === 'PMT_LOKAL_GIZI_KURANG')).toMatchObject({ defaultDays: 56, name: expect.stringContaining('PMT') });
    const entry = { code: 'DASHAT_BEKASI', name: 'Dapur Sehat Atasi Stunting', nameEn: 'Community kitchen', kind: 'spesifik', targetGroups: ['BALITA'], defaultDays: 90, cadenceDays: 7, unit: 'paket', opdCode: 'DP2KB' };
    await t.http().post('/api/v1/catalogues/interventions').set(admin).send(entry).expect(201);
    await t.http().post('/api/v1/catalogues/interventions').set(admin).send({ ...entry, kind: 'both' }).expect(400);
    await t.http().post('/api/v1/catalogues/interventions').set(cm).send(entry).expect(403);
    await t.http().post('/api/v1/catalogues/interventions/MBG_B3/retire').set(admin).expect(204);
    const after = (await t.http().get('/api/v1/catalogues/interventions').set(cm).expect(200)).body.items.map((e: { code: string }) => e.code);
    expect(after).toContain('DASHAT_BEKASI');
    expect(after).not.toContain('MBG_B3');
    const otherRegency = (await t.http().get('/api/v1/catalogues/interventions').set(bearer(w.b.tokens.case_manager)).expect(200)).body.items.map((e: { code: string }) => e.code);
    expect(otherRegency).toContain('MBG_B3');
    expect(otherRegency).not.toContain('DASHAT_BEKASI');
  });

  it('a CSR partner sees a case offered to its company as a pseudonymous beneficiary, and proposes for it', async () => {
    await asPartner(t.http().get('/api/v1/offers').set(partner).expect(200)).then((r) => expect(r.body.items).toEqual([]));
    await t.http().post(`/api/v1/cases/${caseId}/offers`).set(cm).send({ sponsorId: w.a.sponsorId }).expect(201);
    await t.http().post(`/api/v1/cases/${caseId}/offers`).set(cm).send({ sponsorId: w.b.sponsorId }).expect(400);
    const offers = await asPartner(t.http().get('/api/v1/offers').set(partner).expect(200));
    expect(offers.body.items).toHaveLength(1);
    expect(offers.body.items[0]).toMatchObject({ caseId, caseState: 'audited', beneficiary: { code: expect.stringMatching(/^BNF-[0-9A-F]{10}$/), ageBand: '24-59 months', villageCode: REGENCY_A.village, villageName: 'Setiadarma', districtName: 'Tambun Selatan' } });
    expect(offers.body.items[0].beneficiary.name).toBeUndefined();
    await asPartner(t.http().get('/api/v1/offers').set(otherPartner).expect(200)).then((r) => expect(r.body.items).toEqual([]));

    const proposal = { caseId, sponsorId: w.a.sponsorId, catalogueCode: 'PMT_LOKAL_GIZI_KURANG', plannedStart: '2026-11-24', budgetIdr: 840_000 };
    await asPartner(t.http().post('/api/v1/interventions').set(partner).send({ ...proposal, sponsorId: otherSponsorId }).expect(403));
    await asPartner(t.http().post('/api/v1/interventions').set(otherPartner).send({ ...proposal, sponsorId: otherSponsorId }).expect(404));
    await asPartner(t.http().post('/api/v1/interventions').set(partner).send({ ...proposal, catalogueCode: 'MBG_B3' }).expect(400));
    await asPartner(t.http().post('/api/v1/interventions').set(partner).send({ ...proposal, budgetIdr: -1 }).expect(400));
    const created = await asPartner(t.http().post('/api/v1/interventions').set(partner).send(proposal).expect(201));
    expect(created.body).toMatchObject({ catalogueCode: 'PMT_LOKAL_GIZI_KURANG', catalogueName: 'PMT lokal balita gizi kurang', catalogueNameEn: 'Local-food supplementary feeding, wasted under-fives', state: 'proposed', plannedDays: 56, cadenceDays: 7, unit: 'paket', budgetIdr: 840_000, spentIdr: 0, step: 'approve', allowedEvents: ['HOLD', 'RESUME', 'COMPLETE'].filter(() => false) });
    interventionId = created.body.id;
  });

  it('only an audited or intervened case can receive an approved intervention', async () => {
    const s = await t.http().post('/api/v1/subjects').set(cm).send({ targetGroup: 'BALITA', name: 'Anak Belum Diaudit', sex: 'M', birthDate: '2024-05-01', villageCode: REGENCY_A.village }).expect(201);
    const c = await t.http().post('/api/v1/cases').set(cm).send({ subjectId: s.body.id, identifiedAt: '2026-11-20', source: 'manual' }).expect(201);
    const p = await t.http().post('/api/v1/interventions').set(cm).send({ caseId: c.body.id, sponsorId: w.a.sponsorId, catalogueCode: 'JAMBAN', plannedStart: '2026-12-01', budgetIdr: 3_000_000 }).expect(201);
    const refused = await send(p.body.id, 1, { type: 'APPROVE' }, cm).expect(422);
    expect(refused.body).toMatchObject({ error: 'GUARD_FAILED', message: expect.stringContaining('audited or intervened') });
    await send(p.body.id, 1, { type: 'REJECT', reason: 'Belum diaudit' }, cm).expect(200).then((r) => expect(r.body.state).toBe('rejected'));
  });

  it('the case manager approves; the first delivery makes it active and starts the case intervention, once per Idempotency-Key', async () => {
    await asPartner(send(interventionId, 1, { type: 'APPROVE' }, partner).expect(403));
    const approved = await send(interventionId, 1, { type: 'APPROVE', note: 'Disetujui TPPS' }, cm).expect(200);
    expect(approved.body).toMatchObject({ state: 'approved', step: 'first_delivery', stepDueAt: at(7).toISOString() });

    t.clock.set(at(1));
    const body = { deliveredAt: at(1).toISOString(), quantity: 7, unit: 'paket', amountIdr: 105_000, note: 'Minggu 1', evidenceRef: 'foto/IMG_0001.jpg' };
    await asPartner(t.http().post(`/api/v1/interventions/${interventionId}/deliveries`).set(partner).send(body).expect(400));
    await asPartner(deliver(interventionId, 'short', body).expect(400));
    await asPartner(deliver(interventionId, 'key-future-0001', { ...body, deliveredAt: at(2).toISOString() }).expect(400));
    await asPartner(deliver(interventionId, 'key-early-00001', { ...body, deliveredAt: at(-1).toISOString() }).expect(400));
    await asPartner(deliver(interventionId, 'key-other-00001', body, otherPartner).expect(404));
    const first = await asPartner(deliver(interventionId, 'delivery-week-1', body).expect(201));
    expect(first.body).toMatchObject({ quantity: 7, amountIdr: 105_000, onTime: true });
    const replay = await asPartner(deliver(interventionId, 'delivery-week-1', body).expect(201));
    expect(replay.body).toEqual(first.body);
    const misuse = await asPartner(deliver(interventionId, 'delivery-week-1', { ...body, quantity: 8 }).expect(422));
    expect(misuse.body.error).toBe('IDEMPOTENCY_KEY_REUSED');

    const view = await asPartner(t.http().get(`/api/v1/interventions/${interventionId}`).set(partner).expect(200));
    expect(view.body).toMatchObject({ state: 'active', deliveries: 1, spentIdr: 105_000, step: 'delivery', stepDueAt: at(1 + 7 + 2).toISOString() });
    expect(await caseState()).toMatchObject({ state: 'intervened' });
    const history = await t.http().get(`/api/v1/cases/${caseId}/history`).set(cm).expect(200);
    // The partner's delivery started the case's intervention: recorded as its effect, not as the partner's own act.
    expect(history.body.items.at(-1)).toMatchObject({
      type: 'START_INTERVENTION',
      payload: { startedAt: at(1).toISOString() },
      actor: { role: 'csr_partner' },
      cause: { aggregate: 'intervention', id: interventionId, event: 'DELIVER' },
    });
    expect(history.body.items.filter((h: { cause: unknown }) => h.cause === null).map((h: { type: string }) => h.type)).not.toContain('START_INTERVENTION');
    const own = await t.http().get(`/api/v1/interventions/${interventionId}/history`).set(cm).expect(200);
    expect(own.body.items.at(-1)).toMatchObject({ type: 'DELIVER', fromState: 'approved', toState: 'active', cause: null });
    const log = await asPartner(t.http().get(`/api/v1/interventions/${interventionId}/deliveries`).set(partner).expect(200));
    expect(log.body.items).toHaveLength(1);
  });

  it('ten concurrent replays of one delivery store it once and answer the same', async () => {
    t.clock.set(at(3));
    const body = { deliveredAt: at(3).toISOString(), quantity: 7, unit: 'paket', amountIdr: 105_000 };
    const answers = await Promise.all(Array.from({ length: 10 }, () => deliver(interventionId, 'delivery-week-1b', body)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    const rows = await t.sql<{ n: string }>(`SELECT count(*) AS n FROM deliveries WHERE intervention_id = $1`, [interventionId]);
    expect(Number(rows[0].n)).toBe(2);
    partnerSaw.push(...answers.map((a) => a.text));
  });

  it('a stalled intervention escalates to the sponsor\'s partners, then to the case manager', async () => {
    const sweeper = t.app.get(EscalationSweeper);
    const due = at(3 + 7 + 2).getTime();
    t.clock.set(new Date(due - 60_000));
    await sweeper.sweep();
    const none = await t.sql(`SELECT level FROM escalations WHERE aggregate_id = $1`, [interventionId]);
    expect(none).toHaveLength(0);
    t.clock.set(new Date(due));
    await sweeper.sweep();
    t.clock.set(new Date(due + DAY));
    await sweeper.sweep();
    const fired = await t.sql<{ level: number; step: string; recipients: { rule: string; userId?: string }[] }>(
      `SELECT level, step, recipients FROM escalations WHERE aggregate_id = $1 ORDER BY level`,
      [interventionId],
    );
    expect(fired.map((e) => [e.level, e.step])).toEqual([[1, 'delivery'], [2, 'delivery']]);
    expect(fired[0].recipients).toEqual([{ rule: 'assignee', userId: w.a.userIds.csr_partner }]);
    expect(fired[1].recipients).toEqual([{ rule: 'supervisor', userId: w.a.userIds.case_manager }]);
    const inbox = await asPartner(t.http().get('/api/v1/notifications').set(partner).expect(200));
    expect(inbox.body.items.some((n: { body: { aggregateId: string } }) => n.body.aggregateId === interventionId)).toBe(true);
    await asPartner(t.http().get(`/api/v1/escalations`).set(partner).expect(403));
  });

  it('an approved intervention without a first delivery escalates too', async () => {
    t.clock.set(at(13));
    const p = await asPartner(
      t.http().post('/api/v1/interventions').set(partner).send({ caseId, sponsorId: w.a.sponsorId, catalogueCode: 'BAAS_PAKET', plannedStart: '2026-12-07', budgetIdr: 2_700_000 }).expect(201),
    );
    expect(p.body.plannedDays).toBe(180);
    await send(p.body.id, 1, { type: 'APPROVE' }, cm).expect(200);
    t.clock.set(at(13 + 7));
    await t.app.get(EscalationSweeper).sweep();
    const fired = await t.sql<{ level: number; step: string }>(`SELECT level, step FROM escalations WHERE aggregate_id = $1`, [p.body.id]);
    expect(fired).toEqual([{ level: 1, step: 'first_delivery' }]);
    await send(p.body.id, 2, { type: 'CANCEL', reason: 'Diganti PMT' }, cm).expect(200);
    expect(await t.sql(`SELECT 1 FROM step_deadlines WHERE aggregate_id = $1`, [p.body.id])).toHaveLength(0);
  });

  it('holds, resumes, completes and is verified; the re-measurement shows in the outcome band', async () => {
    t.clock.set(at(21));
    let v = (await t.http().get(`/api/v1/interventions/${interventionId}`).set(cm).expect(200)).body.version as number;
    await asPartner(send(interventionId, v, { type: 'HOLD' }, partner).expect(400));
    const held = await asPartner(send(interventionId, v, { type: 'HOLD', reason: 'Keluarga mudik' }, partner).expect(200));
    expect(held.body).toMatchObject({ state: 'on_hold', step: null });
    await asPartner(deliver(interventionId, 'delivery-on-hold', { deliveredAt: at(21).toISOString(), quantity: 7, unit: 'paket' }).expect(409));
    const resumed = await asPartner(send(interventionId, held.body.version, { type: 'RESUME' }, partner).expect(200));
    expect(resumed.body.state).toBe('active');
    await asPartner(deliver(interventionId, 'delivery-week-3', { deliveredAt: at(21).toISOString(), quantity: 7, unit: 'paket', amountIdr: 105_000 }).expect(201));

    // The posyandu re-measures her: the case moves to remeasured by itself, and the band appears.
    await t.http().post(`/api/v1/subjects/${subjectId}/measurements`).set(cm).send({ measuredAt: at(21).toISOString().slice(0, 10), heightCm: 85, weightKg: 11, method: 'standing' }).expect(201);
    expect(await caseState()).toMatchObject({ state: 'remeasured' });

    v = (await t.http().get(`/api/v1/interventions/${interventionId}`).set(cm).expect(200)).body.version;
    await send(interventionId, v, { type: 'VERIFY' }, cm).expect(409);
    const done = await asPartner(send(interventionId, v, { type: 'COMPLETE', note: '56 hari selesai' }, partner).expect(200));
    expect(done.body).toMatchObject({ state: 'completed', step: 'verify', outcomeBand: 'up_0_5_or_more' });
    await asPartner(send(interventionId, done.body.version, { type: 'VERIFY' }, partner).expect(403));
    const verified = await send(interventionId, done.body.version, { type: 'VERIFY', note: 'Bukti lengkap' }, cm).expect(200);
    expect(verified.body).toMatchObject({ state: 'verified', allowedEvents: [] });
  });

  it("the sponsor report shows a name only under a guardian's consent to share with that sponsor", async () => {
    const before = await asPartner(t.http().get(`/api/v1/sponsors/${w.a.sponsorId}/report`).set(partner).expect(200));
    // The rejected and the cancelled proposals count for nothing.
    expect(before.body.totals).toMatchObject({ interventions: 1, deliveries: 3, budgetIdr: 840_000, spentIdr: 315_000, spentShare: 0.375 });
    expect(before.body.byType).toEqual([{ catalogueCode: 'PMT_LOKAL_GIZI_KURANG', name: 'PMT lokal balita gizi kurang', nameEn: 'Local-food supplementary feeding, wasted under-fives', interventions: 1, deliveries: 3, quantity: 21, unit: 'paket', budgetIdr: 840_000, spentIdr: 315_000 }]);
    expect(before.body.outcomes.up_0_5_or_more).toBe(1);
    expect(before.body.totals.onTimeDeliveryRate).toBeGreaterThan(0);
    expect(before.body.beneficiaries).toHaveLength(1);
    expect(before.body.beneficiaries[0].name).toBeUndefined();
    expect(before.text).not.toContain('Putri');

    await t.http().post(`/api/v1/subjects/${subjectId}/consents`).set(cm).send({ guardianName: 'Ibu Sari', guardianRelation: 'ibu', purpose: 'share_with_sponsor', sponsorId: w.a.sponsorId, evidenceRef: 'Form 12/2026', givenAt: at(25).toISOString() }).expect(400);
    const consent = await t
      .http()
      .post(`/api/v1/subjects/${subjectId}/consents`)
      .set(cm)
      .send({ guardianName: 'Ibu Sari', guardianRelation: 'ibu', purpose: 'share_with_sponsor', sponsorId: w.a.sponsorId, evidenceRef: 'Form 12/2026', givenAt: at(20).toISOString() })
      .expect(201);
    const withConsent = await asPartner(t.http().get(`/api/v1/sponsors/${w.a.sponsorId}/report`).set(partner).expect(200));
    expect(withConsent.body.beneficiaries[0]).toMatchObject({ name: 'Putri Ayu Lestari', code: before.body.beneficiaries[0].code });
    // The consent names one sponsor: the other sees no more than before.
    const other = await asPartner(t.http().get(`/api/v1/sponsors/${otherSponsorId}/report`).set(otherPartner).expect(200));
    expect(other.text).not.toContain('Putri');

    await t.http().post(`/api/v1/subjects/${subjectId}/consents/${consent.body.id}/withdraw`).set(cm).expect(200);
    const withdrawn = await asPartner(t.http().get(`/api/v1/sponsors/${w.a.sponsorId}/report`).set(partner).expect(200));
    expect(withdrawn.body.beneficiaries[0].name).toBeUndefined();
    const consents = await t.http().get(`/api/v1/subjects/${subjectId}/consents`).set(cm).expect(200);
    expect(consents.body.items[0]).toMatchObject({ active: false, withdrawnAt: expect.any(String) });

    const csv = await asPartner(t.http().get(`/api/v1/sponsors/${w.a.sponsorId}/report.csv?from=2026-11-01&to=2026-12-31`).set(partner).expect(200));
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text.split('\n')[0]).toBe('section,key,interventions,deliveries,quantity,unit,budget_idr,spent_idr,on_time_delivery_rate');
    expect(csv.text).toContain('type,PMT_LOKAL_GIZI_KURANG,1,3,21,paket,');
    await asPartner(t.http().get(`/api/v1/sponsors/${otherSponsorId}/report`).set(partner).expect(404));
    await asPartner(t.http().get(`/api/v1/sponsors/${w.a.sponsorId}/report?from=2026-12-31&to=2026-01-01`).set(partner).expect(400));
  });

  it("a partner of another sponsor gets 404 for this sponsor's interventions", async () => {
    await asPartner(t.http().get(`/api/v1/interventions/${interventionId}`).set(otherPartner).expect(404));
    await asPartner(t.http().get(`/api/v1/interventions/${interventionId}/deliveries`).set(otherPartner).expect(404));
    await asPartner(t.http().get(`/api/v1/interventions/${interventionId}/history`).set(otherPartner).expect(404));
    await asPartner(send(interventionId, 1, { type: 'HOLD', reason: 'x' }, otherPartner).expect(404));
    const list = await asPartner(t.http().get('/api/v1/interventions').set(otherPartner).expect(200));
    expect(list.body.items).toEqual([]);
    await asPartner(t.http().get(`/api/v1/interventions?sponsorId=${w.a.sponsorId}`).set(otherPartner).expect(403));
    const mine = await asPartner(t.http().get('/api/v1/interventions').set(partner).expect(200));
    expect(mine.body.items.length).toBeGreaterThan(0);
    // Partners never see the case itself, nor the child's record.
    await asPartner(t.http().get(`/api/v1/cases/${caseId}`).set(partner).expect(403));
    await asPartner(t.http().get(`/api/v1/subjects/${subjectId}`).set(partner).expect(403));
  });

  it('report.csv writes a formula an admin typed as text, never as a live formula (CSV injection)', async () => {
    const formula = '=HYPERLINK("http://x.example","klik")';
    const entry = { code: 'PAKET_RUMUS', name: 'Paket rumus', nameEn: 'Formula package', kind: 'sensitif', targetGroups: ['BALITA'], defaultDays: 30, cadenceDays: 7, unit: formula, opdCode: 'DP2KB' };
    await t.http().post('/api/v1/catalogues/interventions').set(admin).send(entry).expect(201);
    await t.http().post('/api/v1/interventions').set(cm).send({ caseId, sponsorId: w.a.sponsorId, catalogueCode: 'PAKET_RUMUS', plannedStart: '2026-12-01', budgetIdr: 100_000 }).expect(201);
    const csv = await t.http().get(`/api/v1/sponsors/${w.a.sponsorId}/report.csv?from=2026-11-01&to=2027-12-31`).set(cm).expect(200);
    const line = csv.text.split('\n').find((l) => l.startsWith('type,PAKET_RUMUS,'));
    if (!line) throw new Error(csv.text);
    expect(line).toBe(`type,PAKET_RUMUS,1,0,0,"'=HYPERLINK(""http://x.example"",""klik"")",100000,0,`);
    expect(csv.text.split('\n').some((l) => l.split(',').some((cell) => /^"?[=+@\t\r]/.test(cell)))).toBe(false);
  });

  it('no response to a CSR partner ever contained a NIK', async () => {
    // Every other endpoint a partner can reach, too.
    for (const path of ['/api/v1/users/me', '/api/v1/sponsors', `/api/v1/sponsors/${w.a.sponsorId}`, '/api/v1/catalogues/interventions', '/api/v1/catalogues/causes',
      '/api/v1/notifications', '/api/v1/offers', '/api/v1/interventions?limit=200', `/api/v1/regions?parent=${REGENCY_A.district}`]) {
      await asPartner(t.http().get(path).set(partner).expect(200));
    }
    expect(partnerSaw.length).toBeGreaterThan(30);
    const masked = `${nik.slice(0, 4)}********${nik.slice(-4)}`;
    for (const text of partnerSaw) {
      expect(text).not.toContain(nik);
      expect(text).not.toContain(masked);
      expect(text).not.toMatch(/"nik"/i);
    }
  });
});
