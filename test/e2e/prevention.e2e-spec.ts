import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { EscalationSweeper } from '../../src/modules/escalation/escalation.sweeper.js';
import { createTestApp, login, type TestApp } from '../support/test-app.js';
import { bearer, buildWorld, createUser, nikFor, REGENCY_A, type World, passwordOf } from '../support/world.js';

const OTHER_VILLAGE = '3216062002'; // Lambangsari, the same kecamatan (Tambun Selatan) as REGENCY_A.village
const DAYS = { identified: 30, audited: 14, intervened: 30, remeasured: 7 };
const localMidnight = (day: string) => new Date(`${day}T00:00:00+07:00`);

/**
 * Domain-wave2 §1-2 end to end: a family is registered and assessed at risk, its pregnant
 * member's visit falls due and lapses up the TPK ladder once per rung, another village's TPK
 * member sees none of it, an offline visit sent twice is stored once, a stunted reading on a
 * visit opens a case, and the month's report equals the stored visits and holds after its freeze.
 */
describe('prevention: families at risk, TPK visits that escalate when they lapse', () => {
  let t: TestApp;
  let w: World;
  let tpkA: string; // the world's TPK user of regency A, bidan and coordinator of the village team
  let tpkOther: string; // a TPK member of another village in the same regency
  let cm: Record<string, string>;
  let familyId: string;
  let motherId: string;
  let childId: string;
  let pkbUserId: string;
  let dp2kbUserId: string;
  const visit = () => ({
    id: randomUUID(),
    familyId,
    subjectId: motherId,
    targetGroup: 'BUMIL',
    kind: 'RUMAH',
    actions: ['KIE', 'PMT'],
    visitedOn: '2026-12-28',
    notes: 'Ibu sehat, diberi PMT',
  });

  /** Moves the clock and signs in again: tokens live an hour, the schedule weeks. */
  const setClock = async (at: Date) => {
    t.clock.set(at);
    tpkA = await login(t, 'tpk.a', passwordOf('tpk.a'));
    cm = bearer(await login(t, 'casemanager.a', passwordOf('casemanager.a')));
  };

  beforeAll(async () => {
    t = await createTestApp({ LOGIN_RATE_LIMIT: '1000' });
    w = await buildWorld(t);
    cm = bearer(w.a.tokens.case_manager);
    tpkA = w.a.tokens.tpk;
    const other = await createUser(t, w.nationalToken, { username: 'kader.lambangsari', role: 'tpk', regencyCode: REGENCY_A.code });
    tpkOther = await login(t, 'kader.lambangsari', other.password);
    pkbUserId = (await createUser(t, w.nationalToken, { username: 'pkb.tambun', role: 'viewer', regencyCode: REGENCY_A.code })).id;
    dp2kbUserId = (await createUser(t, w.nationalToken, { username: 'kabid.dp2kb', role: 'viewer', regencyCode: REGENCY_A.code })).id;
    await t
      .http()
      .put(`/api/v1/sla-policies/${REGENCY_A.code}`)
      .set(bearer(w.nationalToken))
      .send({ days: DAYS, visits: { pkbUserIds: { [REGENCY_A.district]: [pkbUserId] }, dp2kbUserIds: [dp2kbUserId], reportFreezeDay: 5 } })
      .expect(200);
    await t
      .http()
      .post('/api/v1/tpk-teams')
      .set(cm)
      .send({ villageCode: REGENCY_A.village, name: 'TPK 01', members: [{ userId: w.a.userIds.tpk, tpkRole: 'bidan' }], coordinatorUserId: w.a.userIds.tpk })
      .expect(201);
    await t
      .http()
      .post('/api/v1/tpk-teams')
      .set(cm)
      .send({ villageCode: OTHER_VILLAGE, name: 'TPK Lambangsari', members: [{ userId: other.id, tpkRole: 'kader_kb' }] })
      .expect(201);
    const mother = await t
      .http()
      .post('/api/v1/subjects')
      .set(cm)
      .send({ targetGroup: 'IBU_HAMIL', name: 'Siti Aminah', sex: 'F', birthDate: '1998-05-10', nik: nikFor(REGENCY_A.district, '100598'), villageCode: REGENCY_A.village })
      .expect(201);
    motherId = mother.body.id;
    const child = await t
      .http()
      .post('/api/v1/subjects')
      .set(cm)
      .send({ targetGroup: 'BADUTA', name: 'Rizky Pratama', sex: 'M', birthDate: '2025-06-01', villageCode: REGENCY_A.village })
      .expect(201);
    childId = child.body.id;
  }, 240_000);
  afterAll(async () => {
    await t?.close();
  });

  it('a TPK member registers a family of their village; its card is masked, its pregnancy projected', async () => {
    const res = await t
      .http()
      .post('/api/v1/families')
      .set(bearer(tpkA))
      .send({
        familyCardNumber: '3216 0612 3456 0001',
        headName: 'Ahmad Fauzi',
        wifeName: 'Siti Aminah',
        villageCode: REGENCY_A.village,
        rt: '003',
        rw: '007',
        welfarePriority: 2,
        members: [
          { relation: 'KK', name: 'Ahmad Fauzi', sex: 'M', birthDate: '1995-02-01' },
          // 10 weeks on 2026-11-23: LMP 2026-09-14, the first trimester ends 2026-12-13.
          { relation: 'ISTRI', subjectId: motherId, gestWeeks: 10, gestRecordedOn: '2026-11-23' },
          { relation: 'ANAK', subjectId: childId },
        ],
      })
      .expect(201);
    familyId = res.body.id;
    expect(res.body.familyCardNumber).toBe('3216********0001');
    expect(res.body).toMatchObject({ villageCode: REGENCY_A.village, villageName: 'Setiadarma', districtName: 'Tambun Selatan' });
    expect(res.body.members.map((m: { relation: string; gestWeeksToday: number | null }) => [m.relation, m.gestWeeksToday])).toEqual([
      ['KK', null],
      ['ISTRI', 10],
      ['ANAK', null],
    ]);
    const again = await t.http().post('/api/v1/families').set(cm).send({ familyCardNumber: '3216061234560001', headName: 'X', villageCode: REGENCY_A.village });
    expect(again.status).toBe(409);
    expect(again.body.details?.existingFamilyId ?? again.body.existingFamilyId).toBe(familyId);
    const twice = await t
      .http()
      .post('/api/v1/families')
      .set(cm)
      .send({ familyCardNumber: '3216061234560002', headName: 'Y', villageCode: REGENCY_A.village, members: [{ relation: 'ANAK', subjectId: childId }] });
    expect(twice.status).toBe(409); // a subject belongs to at most one family
  });

  it('is assessed at risk under the policy in force (version 1: a target family with any factor), BARU', async () => {
    const factors = { airTidakLayak: false, jambanTidakLayak: true, terlaluMuda: false, terlaluTua: false, terlaluDekat: false, terlaluBanyak: false, nonKbModern: false };
    const res = await t
      .http()
      .post(`/api/v1/families/${familyId}/assessments`)
      .set(bearer(tpkA))
      .send({ year: 2026, round: 2, referenceDate: '2026-11-23', factors, source: 'VERVAL' })
      .expect(201);
    expect(res.body).toMatchObject({ isKrs: true, transition: 'BARU', policyVersion: 1, target: { pus: true, pusHamil: true, baduta: true, balita: false } });
    await t.http().post(`/api/v1/families/${familyId}/assessments`).set(cm).send({ year: 2026, round: 2, referenceDate: '2026-11-23', factors }).expect(409);
    // The stricter version would not have called it KRS: a regency that adopts it judges later periods by it.
    const v2 = await t.http().post(`/api/v1/krs-policies/${REGENCY_A.code}`).set(bearer(w.nationalToken)).send({ rule: 'STRICT_PUS' }).expect(201);
    expect(v2.body).toEqual({ version: 2, rule: 'STRICT_PUS' });
    const policies = await t.http().get(`/api/v1/krs-policies/${REGENCY_A.code}`).set(cm).expect(200);
    expect(policies.body.current).toEqual({ version: 2, rule: 'STRICT_PUS' });
    const family = await t.http().get(`/api/v1/families/${familyId}`).set(cm).expect(200);
    expect(family.body.assessments).toHaveLength(1);
    expect(family.body.latestAssessment).toMatchObject({ policyVersion: 1, isKrs: true });
  });

  it("the pregnant member's first-trimester visit and the child's monthly visit fall due in the TPK member's day", async () => {
    const due = await t.http().get('/api/v1/visits/due?until=2026-12-31').set(bearer(tpkA)).expect(200);
    expect(due.body.items.map((i: { targetGroup: string; visit: string; dueOn: string; subject: { id: string; firstName: string } }) => [i.targetGroup, i.visit, i.dueOn, i.subject.firstName])).toEqual([
      ['BUMIL', 'T1', '2026-12-13', 'Siti'],
      ['BADUTA', 'MONTHLY', '2026-12-23', 'Rizky'],
    ]);
    expect(due.body.items[0].villageName).toBe('Setiadarma');
    expect(JSON.stringify(due.body)).not.toContain('Aminah');
  });

  it('a TPK member of another village, or of another regency, sees none of it', async () => {
    for (const token of [tpkOther, w.b.tokens.tpk]) {
      await t.http().get(`/api/v1/families/${familyId}`).set(bearer(token)).expect(404);
      expect((await t.http().get('/api/v1/visits/due?until=2027-12-31').set(bearer(token)).expect(200)).body.items).toEqual([]);
      expect((await t.http().get('/api/v1/families').set(bearer(token)).expect(200)).body.items).toEqual([]);
      await t.http().post('/api/v1/visits').set(bearer(token)).send({ ...visit(), visitedOn: '2026-11-23' }).expect(404);
      await t.http().post(`/api/v1/subjects/${motherId}/screenings`).set(bearer(token)).send({ plannedMarriageDate: '2027-01-01', weightKg: 50, heightCm: 155, muacCm: 24, smoker: false }).expect(404);
      await t.http().get(`/api/v1/reports/tpk?month=2026-11&villageCode=${REGENCY_A.village}`).set(bearer(token)).expect(404);
    }
    // Nor the audit's findings: a TPK member has no case routes at all.
    await t.http().get('/api/v1/cases').set(bearer(tpkA)).expect(403);
    await t.http().get(`/api/v1/subjects/${motherId}`).set(bearer(tpkA)).expect(403);
  });

  it('the lapsed visit escalates once per rung: member, bidan coordinator, PKB of the kecamatan, DP2KB', async () => {
    const sweeper = t.app.get(EscalationSweeper);
    const [acc] = await t.sql<{ id: string }>(`SELECT id FROM accompaniments WHERE subject_id = $1 AND target_group = 'BUMIL'`, [motherId]);
    const rungs = async () =>
      t.sql<{ level: number; recipients: { rule: string; userId?: string }[] }>(
        `SELECT level, recipients FROM escalations WHERE aggregate_type = 'accompaniment' AND aggregate_id = $1 ORDER BY level`,
        [acc.id],
      );
    await setClock(new Date(localMidnight('2026-12-14').getTime() - 1000)); // the last second of the due day
    await sweeper.sweep();
    expect(await rungs()).toEqual([]);
    const expected: [string, number, string, string][] = [
      ['2026-12-14', 1, 'tpk_member', w.a.userIds.tpk],
      ['2026-12-17', 2, 'tpk_coordinator', w.a.userIds.tpk],
      ['2026-12-21', 3, 'pkb', pkbUserId],
      ['2026-12-28', 4, 'dp2kb', dp2kbUserId],
    ];
    for (const [day, level, rule, userId] of expected) {
      await setClock(localMidnight(day));
      await sweeper.sweep();
      await sweeper.sweep(); // a second sweep adds nothing
      const fired = await rungs();
      expect(fired.map((r) => r.level)).toEqual(expected.slice(0, level).map((e) => e[1]));
      expect(fired[level - 1].recipients).toEqual([{ rule, userId }]);
    }
    const inbox = await t.sql<{ n: string }>(`SELECT count(*) AS n FROM notifications WHERE recipient_user_id = $1 AND channel = 'inbox'`, [pkbUserId]);
    expect(Number(inbox[0].n)).toBe(1);
    const due = await t.http().get('/api/v1/visits/due?until=2026-12-31').set(bearer(tpkA)).expect(200);
    expect(due.body.items[0]).toMatchObject({ targetGroup: 'BUMIL', visit: 'T1', overdue: true, escalationLevel: 4 });
  });

  it('the same visit sent twice is stored once; the same id with another body is refused; the visit moves the step on', async () => {
    const v = visit();
    const first = await t.http().post('/api/v1/visits').set(bearer(tpkA)).send(v).expect(201);
    expect(first.body).toMatchObject({ id: v.id, reportMonth: '2026-12', late: false, crossVillage: false, villageCode: REGENCY_A.village });
    const again = await t.http().post('/api/v1/visits').set(bearer(tpkA)).send({ ...v, actions: [...v.actions] }).expect(201);
    expect(again.body).toEqual(first.body);
    const other = await t.http().post('/api/v1/visits').set(bearer(tpkA)).send({ ...v, notes: 'lain' });
    expect(other.status).toBe(422);
    expect((await t.sql<{ n: string }>(`SELECT count(*) AS n FROM visits WHERE id = $1`, [v.id]))[0].n).toBe('1');
    // The missed first trimester is behind; the visit counts for the second; the third's first monthly visit is next.
    const [acc] = await t.sql<{ due_on: string; state: string }>(`SELECT due_on::text, state FROM accompaniments WHERE subject_id = $1 AND target_group = 'BUMIL'`, [motherId]);
    expect(acc).toEqual({ due_on: '2027-04-20', state: 'open' });
    const sweeper = t.app.get(EscalationSweeper);
    await setClock(localMidnight('2027-01-20'));
    await sweeper.sweep();
    const levels = await t.sql<{ n: string }>(
      `SELECT count(*) AS n FROM escalations e JOIN accompaniments a ON a.id = e.aggregate_id WHERE a.subject_id = $1 AND a.target_group = 'BUMIL'`,
      [motherId],
    );
    expect(levels[0].n).toBe('4');
    await setClock(localMidnight('2026-12-28'));
  });

  it("a visit with a stunted reading stores a measurement and opens the child's case", async () => {
    const res = await t
      .http()
      .post('/api/v1/visits')
      .set(bearer(tpkA))
      .send({
        id: randomUUID(),
        familyId,
        subjectId: childId,
        targetGroup: 'BADUTA',
        kind: 'POSYANDU',
        actions: ['EPPGBM', 'RUJUKAN'],
        visitedOn: '2026-12-28',
        referral: { to: 'Puskesmas Tambun', reason: 'tinggi badan kurang' },
        // A boy of 18 months at 72 cm: HAZ well below -2.
        measurement: { weightKg: 8.6, heightCm: 72, method: 'recumbent' },
      })
      .expect(201);
    expect(res.body.measurementId).toEqual(expect.any(String));
    const cases = await t.sql<{ state: string }>(`SELECT state FROM cases WHERE subject_id = $1`, [childId]);
    expect(cases).toEqual([{ state: 'identified' }]);
    const [m] = await t.sql<{ haz: number }>(`SELECT haz::float8 AS haz FROM measurements WHERE id = $1`, [res.body.measurementId]);
    expect(m.haz).toBeLessThan(-2);
  });

  it("the month's report equals the stored visits and does not change after the freeze", async () => {
    const url = `/api/v1/reports/tpk?month=2026-12&villageCode=${REGENCY_A.village}`;
    const live = await t.http().get(url).set(cm).expect(200);
    const stored = await t.sql<{ target_group: string; n: string }>(
      `SELECT target_group, count(*) AS n FROM visits WHERE village_code = $1 AND report_month = '2026-12' GROUP BY 1 ORDER BY 1`,
      [REGENCY_A.village],
    );
    expect(live.body).toMatchObject({
      frozen: false,
      visits: 2,
      byTargetGroup: Object.fromEntries(stored.map((s) => [s.target_group, Number(s.n)])),
      byTargetGroupAndAction: { BUMIL: { KIE: 1, PMT: 1 }, BADUTA: { EPPGBM: 1, RUJUKAN: 1 } },
      krs: { atRisk: 1, accompanied: 1, percent: 100, targetPercent: 90 },
      lateVisits: 0,
    });
    expect(live.body.freezesAt).toBe(localMidnight('2027-01-05').toISOString());
    // The TPK member reads their own village's report too.
    expect((await t.http().get(url).set(bearer(tpkA)).expect(200)).body.visits).toBe(2);

    await setClock(localMidnight('2027-01-06'));
    const frozen = await t.http().get(url).set(cm).expect(200);
    expect(frozen.body).toMatchObject({ frozen: true, visits: 2, krs: live.body.krs });
    // A December visit recorded after the freeze counts in January, flagged; December stays as frozen.
    const late = await t.http().post('/api/v1/visits').set(bearer(tpkA)).send({ ...visit(), visitedOn: '2026-12-30', actions: ['KIE'] }).expect(201);
    expect(late.body).toMatchObject({ late: true, reportMonth: '2027-01' });
    const after = await t.http().get(url).set(cm).expect(200);
    expect(after.body).toEqual(frozen.body);
    const january = await t.http().get(`/api/v1/reports/tpk?month=2027-01&villageCode=${REGENCY_A.village}`).set(cm).expect(200);
    expect(january.body).toMatchObject({ frozen: false, visits: 1, lateVisits: 1 });
  });

  it('a bride-to-be screened BERISIKO is scheduled for accompaniment until three months after the marriage', async () => {
    const catin = await t
      .http()
      .post('/api/v1/subjects')
      .set(cm)
      .send({ targetGroup: 'CATIN', name: 'Dewi Lestari', sex: 'F', birthDate: '2007-03-01', villageCode: REGENCY_A.village })
      .expect(201);
    const res = await t
      .http()
      .post(`/api/v1/subjects/${catin.body.id}/screenings`)
      .set(bearer(tpkA))
      .send({ plannedMarriageDate: '2027-03-14', weightKg: 42, heightCm: 154, muacCm: 22.5, hbGdl: 10.4, smoker: false })
      .expect(201);
    expect(res.body).toMatchObject({ result: 'BERISIKO', reasons: ['LILA_RENDAH', 'ANEMIA', 'IMT_RENDAH', 'USIA_MUDA'], bmi: 17.7, ageYears: 19, ruleVersion: 1 });
    expect(res.body.accompaniment).toMatchObject({ state: 'open', dueOn: '2027-02-05' });
    await t.http().post(`/api/v1/subjects/${childId}/screenings`).set(bearer(tpkA)).send({ plannedMarriageDate: '2027-03-14', weightKg: 42, heightCm: 154, muacCm: 22.5, smoker: false }).expect(400);
  });
});
