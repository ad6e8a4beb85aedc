import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ageInDays, whoTables } from '../../src/modules/growth/who/who-growth.js';
import { checkEveryCaseReplays } from '../support/cases.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { bearer, buildWorld, REGENCY_A, type World } from '../support/world.js';

/**
 * A typed day is that calendar day in the regency (Kab. Bekasi: WIB, UTC+7), wherever it is
 * compared; and catch-up data or routine weighings after a resolution open no duplicate case.
 */
describe('calendar days and the rule for new cases', () => {
  let t: TestApp;
  let w: World;
  let cm: Record<string, string>;
  let auditor: Record<string, string>;
  let partner: Record<string, string>;
  const BIRTH = '2024-03-01';

  const heightFor = (day: string, haz: number) => {
    const lms = whoTables().lhfa.F[ageInDays(BIRTH, day)];
    return Math.round(lms.M * (1 + lms.S * haz) * 10) / 10;
  };
  const child = async (name: string) =>
    (
      await t.http().post('/api/v1/subjects').set(cm).send({ targetGroup: 'BALITA', name, sex: 'F', birthDate: BIRTH, villageCode: REGENCY_A.village }).expect(201)
    ).body.id as string;
  const measure = (id: string, day: string, haz: number) =>
    t.http().post(`/api/v1/subjects/${id}/measurements`).set(cm).send({ measuredAt: day, heightCm: heightFor(day, haz), method: 'standing' });
  const event = (caseId: string, version: number, body: object, who = cm) =>
    t.http().post(`/api/v1/cases/${caseId}/events`).set(who).set('If-Match', `"${version}"`).send(body);
  const audit = (day: string) => ({
    type: 'RECORD_AUDIT',
    auditedAt: day,
    cycle: '2026-S2',
    causes: ['INADEQUATE_INTAKE'],
    recommendations: [{ action: 'PMT', opdCode: 'DINKES' }],
    experts: [{ specialty: 'GIZI' }],
  });

  beforeAll(async () => {
    t = await createTestApp({ JWT_TTL_SECONDS: String(30 * 24 * 3600) });
    w = await buildWorld(t);
    cm = bearer(w.a.tokens.case_manager);
    auditor = bearer(w.a.tokens.auditor);
    partner = bearer(w.a.tokens.csr_partner);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('one hour after midnight WIB, "today" is the new day everywhere: the reading, the audit, the approval and a delivery of that day', async () => {
    // 2026-11-24 01:00 WIB is still 2026-11-23 in UTC.
    t.clock.set(new Date('2026-11-23T18:00:00Z'));
    const id = await child('Tengah Malam');
    const m = await measure(id, '2026-11-24', -2.8).expect(201);
    expect(m.body.caseEffect).toBe('opened');
    const caseId = m.body.caseId as string;
    await measure(id, '2026-11-25', -2.8).expect(400);
    // The audit typed on the day the case was identified is after it, as the auditor meant.
    await event(caseId, 1, audit('2026-11-24'), auditor).expect(200);
    await t.http().post(`/api/v1/cases/${caseId}/offers`).set(cm).send({ sponsorId: w.a.sponsorId }).expect(201);
    const p = await t
      .http()
      .post('/api/v1/interventions')
      .set(partner)
      .send({ caseId, sponsorId: w.a.sponsorId, catalogueCode: 'PMT_LOKAL_GIZI_KURANG', plannedStart: '2026-11-24', budgetIdr: 840_000 })
      .expect(201);
    t.clock.set(new Date('2026-11-23T18:30:00Z'));
    await t.http().post(`/api/v1/interventions/${p.body.id}/events`).set(cm).set('If-Match', '"1"').send({ type: 'APPROVE' }).expect(200);
    const deliver = (key: string, day: string) =>
      t.http().post(`/api/v1/interventions/${p.body.id}/deliveries`).set(partner).set('Idempotency-Key', key).send({ deliveredAt: day, quantity: 7, unit: 'paket' });
    const early = await deliver('kemarin-000001', '2026-11-23').expect(400);
    expect(early.body.message).toContain('before the intervention was approved');
    await deliver('besok-00000001', '2026-11-25').expect(400);
    // Delivered the day it was approved: taken, and it starts the case's intervention.
    const d = await deliver('hari-ini-000001', '2026-11-24').expect(201);
    expect(new Date(d.body.deliveredAt).getTime()).toBeGreaterThanOrEqual(new Date('2026-11-23T18:30:00Z').getTime());
    const c = await t.http().get(`/api/v1/cases/${caseId}`).set(cm).expect(200);
    expect(c.body.state).toBe('intervened');
    // A reading that same day re-measures the case.
    const same = await measure(id, '2026-11-24', -2.7).expect(201);
    expect(same.body).toMatchObject({ caseId, caseEffect: 'remeasured' });
    expect(await checkEveryCaseReplays(t)).toBeGreaterThan(0);
  });

  it('a resolved child is not reopened by routine weighings or by old readings from the KMS book, only by a relapse', async () => {
    // A relapse of 0.3 z below the HAZ at resolution counts here (a month's growth stalls by about that much).
    await t
      .http()
      .put(`/api/v1/sla-policies/${REGENCY_A.code}`)
      .set(bearer(w.a.tokens.admin))
      .send({ days: { identified: 30, audited: 14, intervened: 30, remeasured: 7 }, newCases: { relapseHazDrop: 0.3, reauditAfterDays: 180 } })
      .expect(200);
    // The case is worked in August to October; the resolution is on 6 October.
    t.clock.set(new Date('2026-10-06T03:00:00Z'));
    const id = await child('Sudah Membaik');
    const first = await measure(id, '2026-08-03', -2.8).expect(201);
    const caseId = first.body.caseId as string;
    await event(caseId, 1, audit('2026-08-10'), auditor).expect(200);
    await event(caseId, 2, { type: 'START_INTERVENTION', startedAt: '2026-08-12', description: 'PMT lokal' }).expect(200);
    const better = await measure(id, '2026-10-05', -2.25).expect(201);
    expect(better.body.caseEffect).toBe('remeasured');
    // Improved by 0.55: resolved under the improvement rule, still below -2.
    await event(caseId, 4, { type: 'RESOLVE', note: 'membaik' }).expect(200);
    t.clock.set(new Date('2026-11-23T03:00:00Z'));

    const routine = await measure(id, '2026-10-20', -2.3).expect(201);
    expect(routine.body).toMatchObject({ caseId: null, caseReason: expect.stringContaining('under the improvement rule') });
    const kms = await measure(id, '2026-07-15', -3.1).expect(201);
    expect(kms.body).toMatchObject({ caseId: null, caseReason: expect.stringContaining("before the child's latest reading") });
    expect(await t.sql('SELECT count(*)::int AS n FROM cases WHERE subject_id = $1', [id])).toEqual([{ n: 1 }]);

    // A relapse below the HAZ it was resolved with opens a new case.
    const relapse = await measure(id, '2026-11-22', -2.6).expect(201);
    expect([relapse.body.caseEffect, relapse.body.caseReason]).toEqual(['opened', null]);
    expect(await t.sql('SELECT count(*)::int AS n FROM cases WHERE subject_id = $1', [id])).toEqual([{ n: 2 }]);
  });

  it("the rule is the regency's: a shorter re-audit time reopens a still-stunted child", async () => {
    const admin = bearer(w.a.tokens.admin);
    const policy = await t
      .http()
      .put(`/api/v1/sla-policies/${REGENCY_A.code}`)
      .set(admin)
      .send({ days: { identified: 30, audited: 14, intervened: 30, remeasured: 7 }, newCases: { relapseHazDrop: 0.5, reauditAfterDays: 30 } })
      .expect(200);
    expect(policy.body.newCases).toEqual({ relapseHazDrop: 0.5, reauditAfterDays: 30 });
    await t.http().put(`/api/v1/sla-policies/${REGENCY_A.code}`).set(admin).send({ days: { identified: 30, audited: 14, intervened: 30, remeasured: 7 }, newCases: { relapseHazDrop: -1, reauditAfterDays: 30 } }).expect(400);
    t.clock.set(new Date('2026-09-21T03:00:00Z'));
    const id = await child('Masih Pendek');
    const first = await measure(id, '2026-08-03', -2.8).expect(201);
    const caseId = first.body.caseId as string;
    await event(caseId, 1, audit('2026-08-10'), auditor).expect(200);
    await event(caseId, 2, { type: 'START_INTERVENTION', startedAt: '2026-08-12', description: 'PMT lokal' }).expect(200);
    await measure(id, '2026-09-20', -2.25).expect(201);
    await event(caseId, 4, { type: 'RESOLVE', note: 'membaik' }).expect(200);
    t.clock.set(new Date('2026-11-23T03:00:00Z'));
    const resolvedDay = (await t.sql<{ d: string }>(`SELECT (updated_at AT TIME ZONE 'Asia/Jakarta')::date::text AS d FROM cases WHERE id = $1`, [caseId]))[0].d;
    const later = await measure(id, '2026-11-22', -2.3).expect(201);
    expect(resolvedDay <= '2026-10-23').toBe(true);
    expect(later.body.caseEffect).toBe('opened');
  });
});
