import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createTestApp, login, T0, type TestApp } from '../support/test-app.js';
import { bearer, buildWorld, createUser, nikFor, REGENCY_A, type World } from '../support/world.js';

const DAY = 86_400_000;

interface Item {
  at: string;
  kind: string;
  event: string;
  state: string | null;
  agency: { type: string; id: string | null; code: string | null; name: string | null };
  refId: string;
  caseId: string | null;
  details: Record<string, unknown>;
}

/**
 * The child's timeline across agencies (issue 18 part 1): one child weighed at the posyandu,
 * its case audited with a recommendation for DINKES (a task), a CSR intervention with a delivery,
 * a TPK visit; each reader sees it as its role allows, in date order with each item's agency.
 */
describe("a child's timeline across agencies", () => {
  let t: TestApp;
  let w: World;
  let cm: Record<string, string>;
  let liaison: Record<string, string>;
  let liaisonDp2kb: Record<string, string>;
  let partner: Record<string, string>;
  let otherPartner: Record<string, string>;
  let tpk: Record<string, string>;
  let childId: string;
  let bystanderId: string;
  let caseId: string;
  let interventionId: string;
  const nik = nikFor(REGENCY_A.district, '010324');
  const kk = `${REGENCY_A.district}0101240077`;
  const url = () => `/api/v1/subjects/${childId}/timeline`;

  beforeAll(async () => {
    t = await createTestApp({ JWT_TTL_SECONDS: String(30 * 24 * 3600) });
    w = await buildWorld(t);
    cm = bearer(w.a.tokens.case_manager);
    liaison = bearer(w.a.tokens.opd_liaison);
    partner = bearer(w.a.tokens.csr_partner);
    tpk = bearer(w.a.tokens.tpk);
    const national = bearer(w.nationalToken);
    const auditor = bearer(w.a.tokens.auditor);

    await t.http().post('/api/v1/opds').set(national).send({ regencyCode: REGENCY_A.code, code: 'DP2KB', name: 'DP2KB Bekasi' }).expect(201);
    const dp2kb = (await t.http().get(`/api/v1/opds?regencyCode=${REGENCY_A.code}&limit=200`).set(national).expect(200)).body.items.find((o: { code: string }) => o.code === 'DP2KB');
    const l2 = await createUser(t, w.nationalToken, { username: 'liaison.dp2kb.tl', role: 'opd_liaison', regencyCode: REGENCY_A.code, opdId: dp2kb.id });
    liaisonDp2kb = bearer(await login(t, 'liaison.dp2kb.tl', l2.password));
    const sponsor2 = await t.http().post('/api/v1/sponsors').set(national).send({ name: 'PT Lain Sejahtera', type: 'company', regencyCodes: [REGENCY_A.code] }).expect(201);
    const p2 = await createUser(t, w.nationalToken, { username: 'csr.lain.tl', role: 'csr_partner', regencyCode: REGENCY_A.code, sponsorId: sponsor2.body.id });
    otherPartner = bearer(await login(t, 'csr.lain.tl', p2.password));

    // The child, with a NIK and a KK that must reach no one through the timeline.
    const child = await t
      .http()
      .post('/api/v1/subjects')
      .set(cm)
      .send({ targetGroup: 'BALITA', name: 'Nur Aini Lestari', sex: 'F', birthDate: '2024-03-01', nik, familyCardNumber: kk, villageCode: REGENCY_A.village })
      .expect(201);
    childId = child.body.id;
    const bystander = await t.http().post('/api/v1/subjects').set(cm).send({ targetGroup: 'BALITA', name: 'Anak Lain', sex: 'M', birthDate: '2024-03-01', villageCode: REGENCY_A.village }).expect(201);
    bystanderId = bystander.body.id;

    // A stunted reading at the posyandu three days ago opens the case.
    const reading = await t.http().post(`/api/v1/subjects/${childId}/measurements`).set(cm).send({ measuredAt: '2026-11-20', weightKg: 9.2, heightCm: 80, method: 'standing' }).expect(201);
    caseId = reading.body.caseId;
    expect(caseId).toEqual(expect.any(String));

    // A day later the audit recommends DINKES (a task), with findings only case workers may see; the case is offered to the world's sponsor.
    t.clock.set(new Date(T0.getTime() + DAY));
    const version = (await t.http().get(`/api/v1/cases/${caseId}`).set(cm).expect(200)).body.version;
    await t
      .http()
      .post(`/api/v1/cases/${caseId}/events`)
      .set(auditor)
      .set('If-Match', `"${version}"`)
      .send({
        type: 'RECORD_AUDIT',
        auditedAt: new Date(T0.getTime() + DAY).toISOString(),
        cycle: '2026-S2',
        causes: ['INADEQUATE_INTAKE'],
        recommendations: [{ opdCode: 'DINKES', action: 'PMT pemulihan 90 hari' }],
        experts: [{ specialty: 'SpA', name: 'dr. Rahasia Temuan, Sp.A' }],
      })
      .expect(200);
    const proposed = await t
      .http()
      .post('/api/v1/interventions')
      .set(cm)
      .send({ caseId, sponsorId: w.a.sponsorId, catalogueCode: 'JAMBAN', plannedStart: '2026-11-24', budgetIdr: 3_000_000 })
      .expect(201);
    interventionId = proposed.body.id;
    await t.http().post(`/api/v1/interventions/${interventionId}/events`).set(cm).set('If-Match', '"1"').send({ type: 'APPROVE' }).expect(200);

    // Two days after T0 the partner delivers; three days after, the TPK team visits.
    t.clock.set(new Date(T0.getTime() + 2 * DAY));
    await t
      .http()
      .post(`/api/v1/interventions/${interventionId}/deliveries`)
      .set(partner)
      .set('Idempotency-Key', 'timeline-delivery-1')
      .send({ deliveredAt: new Date(T0.getTime() + 2 * DAY).toISOString(), quantity: 1, unit: 'unit', amountIdr: 2_500_000, note: 'Jamban terpasang' })
      .expect(201);
    await t
      .http()
      .post('/api/v1/tpk-teams')
      .set(cm)
      .send({ villageCode: REGENCY_A.village, name: 'TPK Desa Setia', members: [{ userId: w.a.userIds.tpk, tpkRole: 'bidan' }], coordinatorUserId: w.a.userIds.tpk })
      .expect(201);
    t.clock.set(new Date(T0.getTime() + 3 * DAY));
    await t
      .http()
      .post('/api/v1/visits')
      .set(tpk)
      .send({ id: randomUUID(), subjectId: childId, targetGroup: 'BALITA', kind: 'RUMAH', actions: ['KIE', 'PMT'], visitedOn: '2026-11-26', notes: 'Ibu sudah paham menu PMT' })
      .expect(201);
  }, 300_000);

  afterAll(async () => {
    await t?.close();
  });

  const itemsOf = (body: { items: Item[] }) => body.items;

  it('the case manager sees every agency in date order, audit findings included', async () => {
    const res = await t.http().get(url()).set(cm).expect(200);
    const items = itemsOf(res.body);
    expect(res.body.subject).toMatchObject({ id: childId, name: 'Nur Aini Lestari' });
    expect(res.body.beneficiary).toBeNull();
    const ats = items.map((i) => i.at);
    expect(ats).toEqual([...ats].sort());

    const reading = items.findIndex((i) => i.kind === 'measurement');
    const opened = items.findIndex((i) => i.kind === 'case' && i.details.seq === 1);
    const audit = items.findIndex((i) => i.kind === 'case' && i.event === 'RECORD_AUDIT');
    const task = items.findIndex((i) => i.kind === 'task' && i.caseId === caseId);
    // The reading was also below the red line: the early warning's referral to DINKES is on the timeline too.
    expect(items.find((i) => i.kind === 'task' && i.caseId === null)).toMatchObject({ agency: { type: 'opd', code: 'DINKES' }, details: { referral: { flag: 'BGM', raisedOn: '2026-11-20' } } });
    const delivery = items.findIndex((i) => i.kind === 'delivery');
    const visit = items.findIndex((i) => i.kind === 'visit');
    for (const i of [reading, opened, audit, task, delivery, visit]) expect(i).toBeGreaterThanOrEqual(0);
    expect(reading).toBeLessThan(opened);
    expect(opened).toBeLessThan(audit);
    expect(audit).toBeLessThan(task);
    expect(task).toBeLessThan(delivery);
    expect(delivery).toBeLessThan(visit);

    expect(items[reading]).toMatchObject({ at: '2026-11-19T17:00:00.000Z', agency: { type: 'posyandu', code: 'manual' }, details: { measuredOn: '2026-11-20', haz: expect.any(Number) } });
    expect(items[opened].agency).toMatchObject({ type: 'tpps', code: REGENCY_A.code });
    expect(items[audit].details.payload).toMatchObject({ causes: ['INADEQUATE_INTAKE'] });
    expect(items[task]).toMatchObject({ caseId, agency: { type: 'opd', id: w.a.opdId, code: 'DINKES' }, details: { action: 'PMT pemulihan 90 hari' } });
    expect(items[delivery]).toMatchObject({ caseId, agency: { type: 'sponsor', id: w.a.sponsorId }, details: { interventionId, quantity: 1, amountIdr: 2_500_000 } });
    expect(items[delivery].agency.name).toEqual(expect.any(String));
    expect(items[visit]).toMatchObject({ at: '2026-11-25T17:00:00.000Z', agency: { type: 'tpk', name: 'TPK Desa Setia', code: REGENCY_A.village }, details: { kind: 'RUMAH', actions: ['KIE', 'PMT'] } });
    expect(items.some((i) => i.kind === 'intervention' && i.refId === interventionId)).toBe(true);
    expect(JSON.stringify(res.body)).not.toContain(nik);
    expect(JSON.stringify(res.body)).not.toContain(kk);
  });

  it('an OPD liaison with a task of their OPD reads it with X-Purpose, without audit findings, NIK or KK; the read is audited', async () => {
    const refused = await t.http().get(url()).set(liaison).expect(400);
    expect(refused.body).toMatchObject({ error: 'VALIDATION_FAILED', details: { fields: [expect.objectContaining({ field: 'X-Purpose' })] } });

    const res = await t.http().get(url()).set(liaison).set('X-Purpose', 'koordinasi RTL DINKES').expect(200);
    const items = itemsOf(res.body);
    expect(res.body.subject).toEqual(expect.objectContaining({ id: childId, firstName: 'Nur' }));
    expect(res.body.subject.name).toBeUndefined();
    expect(res.body.subject.birthDate).toBeUndefined();
    const kinds = new Set(items.map((i) => i.kind));
    for (const k of ['measurement', 'case', 'task', 'delivery', 'visit']) expect(kinds).toContain(k);
    const audit = items.find((i) => i.kind === 'case' && i.event === 'RECORD_AUDIT')!;
    expect(Object.keys(audit.details.payload as object).sort()).toEqual(['auditedAt', 'cycle']);
    const text = JSON.stringify(res.body);
    for (const secret of ['INADEQUATE_INTAKE', 'Rahasia', nik, kk, 'familyCardNumber', '"nik"', 'Ibu sudah paham', '2500000', 'Jamban terpasang']) expect(text).not.toContain(secret);
    expect(items.find((i) => i.kind === 'measurement')!.details).toEqual({ measuredOn: '2026-11-20' });

    const logged = await t.sql<{ actor_role: string; purpose: string; entity_id: string }>(
      `SELECT actor_role, purpose, entity_id FROM audit_log WHERE action = 'subject.timeline' AND subject_id = $1 ORDER BY at`,
      [childId],
    );
    expect(logged).toContainEqual({ actor_role: 'opd_liaison', purpose: 'koordinasi RTL DINKES', entity_id: childId });
  });

  it("an OPD liaison gets 404 for a child without a task of their OPD, as another regency's users do", async () => {
    await t.http().get(url()).set(liaisonDp2kb).set('X-Purpose', 'koordinasi').expect(404);
    await t.http().get(`/api/v1/subjects/${bystanderId}/timeline`).set(liaison).set('X-Purpose', 'koordinasi').expect(404);
    await t.http().get(url()).set(bearer(w.b.tokens.case_manager)).expect(404);
    await t.http().get(url()).set(bearer(w.b.tokens.opd_liaison)).set('X-Purpose', 'koordinasi').expect(404);
    await t.http().get(`/api/v1/subjects/${randomUUID()}/timeline`).set(cm).expect(404);
    await t.http().get(url()).set(bearer(w.a.tokens.dpo)).expect(403);
  });

  it("a CSR partner sees the beneficiary and only its own sponsor's deliveries; another sponsor's partner gets 404", async () => {
    const res = await t.http().get(url()).set(partner).expect(200);
    expect(res.body.subject).toBeNull();
    expect(res.body.beneficiary).toMatchObject({ code: expect.stringMatching(/^BNF-/), villageCode: REGENCY_A.village });
    expect(res.body.beneficiary.subjectId).toBeUndefined();
    const items = itemsOf(res.body);
    expect(new Set(items.map((i) => i.kind))).toEqual(new Set(['intervention', 'delivery']));
    expect(items.every((i) => i.agency.type === 'sponsor' && i.agency.id === w.a.sponsorId)).toBe(true);
    const text = JSON.stringify(res.body);
    for (const secret of ['Nur Aini', childId, nik, kk, 'INADEQUATE_INTAKE']) expect(text).not.toContain(secret);

    await t.http().get(url()).set(otherPartner).expect(404);
    await t.http().get(`/api/v1/subjects/${bystanderId}/timeline`).set(partner).expect(404);
  });

  it('a TPK member sees the readings and visits of children of their villages, not the case', async () => {
    const res = await t.http().get(url()).set(tpk).expect(200);
    const items = itemsOf(res.body);
    expect(new Set(items.map((i) => i.kind))).toEqual(new Set(['measurement', 'visit']));
    expect(items.find((i) => i.kind === 'visit')!.details).toMatchObject({ notes: 'Ibu sudah paham menu PMT' });
    expect(res.body.subject.name).toBeUndefined();
  });

  it('a viewer sees the whole timeline with the child limited and no findings', async () => {
    const res = await t.http().get(url()).set(bearer(w.a.tokens.viewer)).expect(200);
    expect(res.body.subject.name).toBeUndefined();
    expect(itemsOf(res.body).some((i) => i.kind === 'task')).toBe(true);
    expect(JSON.stringify(res.body)).not.toContain('INADEQUATE_INTAKE');
  });
});
