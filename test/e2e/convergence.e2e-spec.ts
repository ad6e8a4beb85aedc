import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createTestApp, login, T0, type TestApp } from '../support/test-app.js';
import { bearer, buildWorld, createUser, REGENCY_A, type World } from '../support/world.js';

const V1 = REGENCY_A.village; // 3216062005 Setiadarma, kecamatan 321606 Tambun Selatan
const V2 = '3216012001'; // Sagara Makmur, kecamatan 321601

interface Item {
  code: string;
  status: string;
  dueOn: string | null;
  notApplicableBecause: string | null;
  evidence: { kind: string; id: string; on: string; agency: { type: string; id: string | null; code: string | null; name: string | null }; details: Record<string, unknown> }[];
}
interface Card {
  subject: { id: string; targetGroup: string; villageCode: string };
  asOf: string;
  fullPackage: boolean;
  items: Item[];
}
interface ReportGroup {
  targetGroup: string;
  targets: number;
  fullPackage: number;
  fullPackageShare: number | null;
  items: { code: string; applicable: number; met: number; share: number | null }[];
}
interface ReportRegion {
  code: string;
  name: string | null;
  groups: ReportGroup[];
}

/**
 * Convergence scorecards (issue 18 part 2) on a small district: two babies and a pregnant woman
 * in Tambun Selatan, a toddler in another kecamatan, evidence given through the real routes (CSR
 * deliveries, an OPD task, a TPK visit, posyandu readings, a family's KRS assessment). Each
 * scorecard is checked against what was given, and the report against counts taken from the
 * stored rows and the scorecards of every stored target.
 */
describe('convergence scorecards', () => {
  let t: TestApp;
  let w: World;
  let cm: Record<string, string>;
  let partner: Record<string, string>;
  let dinsosLiaison: Record<string, string>;
  let full: string; // a baby with the whole package
  let under: string; // an underweight baby with PMT from a TPK visit only
  let toddler: string; // a toddler in V2 with nothing
  let mother: string; // a pregnant woman with 90 TTD tablets and 4 ANC readings
  const ids: Record<string, string> = {};

  const card = async (id: string, who = cm) => (await t.http().get(`/api/v1/subjects/${id}/convergence`).set(who).expect(200)).body as Card;
  const statuses = (c: Card) => Object.fromEntries(c.items.map((i) => [i.code, i.status]));

  /** A case for the subject and an approved intervention of `code`, delivered by the partner: the delivery's id. */
  const deliver = async (subjectId: string, code: string, deliveries: { quantity: number; unit: string }[], recommend = { opdCode: 'DINKES', action: 'Konseling gizi keluarga' }) => {
    let caseId = ids[`case:${subjectId}`];
    if (!caseId) {
      caseId = (await t.http().post('/api/v1/cases').set(cm).send({ subjectId, identifiedAt: '2026-11-23', source: 'manual' }).expect(201)).body.id;
      // Interventions are approved on an audited case; the audit recommends one OPD action (a task).
      await t
        .http()
        .post(`/api/v1/cases/${caseId}/events`)
        .set(bearer(w.a.tokens.auditor))
        .set('If-Match', '"1"')
        .send({ type: 'RECORD_AUDIT', auditedAt: T0.toISOString(), cycle: '2026-S2', causes: ['INADEQUATE_INTAKE'], recommendations: [recommend], experts: [{ specialty: 'SpA' }] })
        .expect(200);
      ids[`case:${subjectId}`] = caseId;
    }
    const proposed = await t.http().post('/api/v1/interventions').set(cm).send({ caseId, sponsorId: w.a.sponsorId, catalogueCode: code, plannedStart: '2026-11-23', budgetIdr: 500_000 });
    expect([proposed.status, proposed.body.error]).toEqual([201, undefined]);
    await t.http().post(`/api/v1/interventions/${proposed.body.id}/events`).set(cm).set('If-Match', '"1"').send({ type: 'APPROVE' }).expect(200);
    const out: string[] = [];
    for (const d of deliveries) {
      // Delivered a minute after the clock's now: after the approval, never in the future.
      t.clock.set(new Date(t.clock.now().getTime() + 60_000));
      const res = await t
        .http()
        .post(`/api/v1/interventions/${proposed.body.id}/deliveries`)
        .set(partner)
        .set('Idempotency-Key', randomUUID())
        .send({ deliveredAt: t.clock.now().toISOString(), quantity: d.quantity, unit: d.unit })
        .expect(201);
      out.push(res.body.id);
    }
    return out;
  };

  beforeAll(async () => {
    t = await createTestApp({ JWT_TTL_SECONDS: String(30 * 24 * 3600) });
    w = await buildWorld(t);
    cm = bearer(w.a.tokens.case_manager);
    partner = bearer(w.a.tokens.csr_partner);
    const national = bearer(w.nationalToken);
    const dinsos = await t.http().post('/api/v1/opds').set(national).send({ regencyCode: REGENCY_A.code, code: 'DINSOS', name: 'Dinas Sosial Bekasi' }).expect(201);
    const l = await createUser(t, w.nationalToken, { username: 'liaison.dinsos.cv', role: 'opd_liaison', regencyCode: REGENCY_A.code, opdId: dinsos.body.id });
    dinsosLiaison = bearer(await login(t, 'liaison.dinsos.cv', l.password));
    ids.dinsos = dinsos.body.id;

    const subject = async (body: object) => (await t.http().post('/api/v1/subjects').set(cm).send(body).expect(201)).body.id as string;
    full = await subject({ targetGroup: 'BADUTA', name: 'Bayi Lengkap', sex: 'F', birthDate: '2025-06-15', villageCode: V1 });
    under = await subject({ targetGroup: 'BADUTA', name: 'Bayi Kurang', sex: 'M', birthDate: '2025-03-10', villageCode: V1 });
    toddler = await subject({ targetGroup: 'BALITA', name: 'Balita Sagara', sex: 'F', birthDate: '2023-05-01', villageCode: V2 });
    mother = await subject({ targetGroup: 'IBU_HAMIL', name: 'Ibu Hamil Setia', sex: 'F', birthDate: '1998-04-02', villageCode: V1 });

    // Posyandu readings: the full baby at a normal weight, the other underweight (and stunted: a case opens).
    ids.fullReading = (await t.http().post(`/api/v1/subjects/${full}/measurements`).set(cm).send({ measuredAt: '2026-11-20', weightKg: 9.6, heightCm: 77, method: 'recumbent' }).expect(201)).body.id;
    const low = await t.http().post(`/api/v1/subjects/${under}/measurements`).set(cm).send({ measuredAt: '2026-11-20', weightKg: 7.6, heightCm: 76, method: 'recumbent' }).expect(201);
    ids.underReading = low.body.id;
    // Four ANC contacts of the mother, weighed with her upper arm measured (LiLA 24 cm: no KEK).
    for (const day of ['2026-06-10', '2026-08-12', '2026-10-07', '2026-11-18']) {
      const r = await t.http().post(`/api/v1/subjects/${mother}/measurements`).set(cm).send({ measuredAt: day, weightKg: 55, muacCm: 24, method: 'standing' });
      if (r.status !== 201) throw new Error(JSON.stringify(r.body));
    }

    // CSR deliveries: immunisation and vitamin A for the full baby; 30 + 60 TTD tablets for the mother.
    ids.imun = (await deliver(full, 'IMUNISASI', [{ quantity: 1, unit: 'dosis' }], { opdCode: 'DINSOS', action: 'Daftarkan JKN PBI keluarga' }))[0];
    ids.vitA = (await deliver(full, 'VIT_A', [{ quantity: 1, unit: 'kapsul' }]))[0];
    const ttd = await deliver(mother, 'TTD_BUMIL', [
      { quantity: 30, unit: 'tablet' },
      { quantity: 60, unit: 'tablet' },
    ]);
    ids.ttd1 = ttd[0];
    ids.ttd2 = ttd[1];

    // DINSOS enrols the full baby in JKN: the audit's task on its case, completed by the DINSOS liaison.
    const tasks = await t.http().get(`/api/v1/tasks?caseId=${ids[`case:${full}`]}`).set(cm).expect(200);
    ids.task = tasks.body.items.find((k: { opd: { code: string } }) => k.opd.code === 'DINSOS').id;
    const send = (version: number, body: object) => t.http().post(`/api/v1/tasks/${ids.task}/events`).set(dinsosLiaison).set('If-Match', `"${version}"`).send(body).expect(200);
    await send(1, { type: 'ACKNOWLEDGE' });
    await send(2, { type: 'START' });
    await send(3, { type: 'COMPLETE', note: 'Terdaftar PBI', evidence: [{ kind: 'document', description: 'Kartu JKN' }] });

    // The full baby's family: its latest KRS assessment finds safe water and a fit latrine.
    const family = await t
      .http()
      .post('/api/v1/families')
      .set(cm)
      .send({ familyCardNumber: '3216061234569901', headName: 'Kepala Keluarga', villageCode: V1, members: [{ relation: 'ANAK', subjectId: full }] })
      .expect(201);
    const factors = { airTidakLayak: false, jambanTidakLayak: false, terlaluMuda: false, terlaluTua: false, terlaluDekat: false, terlaluBanyak: false, nonKbModern: false };
    ids.krs = (await t.http().post(`/api/v1/families/${family.body.id}/assessments`).set(cm).send({ year: 2026, round: 2, referenceDate: '2026-11-23', factors }).expect(201)).body.id;

    // The TPK team of V1 visits the underweight baby and gives PMT.
    await t
      .http()
      .post('/api/v1/tpk-teams')
      .set(cm)
      .send({ villageCode: V1, name: 'TPK Setiadarma', members: [{ userId: w.a.userIds.tpk, tpkRole: 'bidan' }], coordinatorUserId: w.a.userIds.tpk })
      .expect(201);
    ids.visit = randomUUID();
    await t.http().post('/api/v1/visits').set(bearer(w.a.tokens.tpk)).send({ id: ids.visit, subjectId: under, targetGroup: 'BADUTA', kind: 'RUMAH', actions: ['KIE', 'PMT'], visitedOn: '2026-11-23' }).expect(201);
  }, 300_000);

  afterAll(async () => {
    await t?.close();
  });

  it('the baby with everything has the full package, each item with the evidence that met it and its agency', async () => {
    const c = await card(full);
    expect(c).toMatchObject({ subject: { id: full, targetGroup: 'BADUTA', villageCode: V1 }, asOf: '2026-11-23', fullPackage: true });
    expect(JSON.stringify(c)).not.toContain('Bayi Lengkap');
    expect(statuses(c)).toEqual({
      PEMANTAUAN_PERTUMBUHAN: 'met',
      IMUNISASI_DASAR: 'met',
      VIT_A: 'met',
      PMT_BB_KURANG: 'not_applicable',
      JKN: 'met',
      AIR_MINUM_LAYAK: 'met',
      JAMBAN_SEHAT: 'met',
    });
    const item = (code: string) => c.items.find((i) => i.code === code)!;
    expect(item('PEMANTAUAN_PERTUMBUHAN').evidence).toEqual([expect.objectContaining({ kind: 'measurement', id: ids.fullReading, on: '2026-11-20', agency: expect.objectContaining({ type: 'posyandu' }) })]);
    expect(item('VIT_A').evidence).toEqual([
      expect.objectContaining({ kind: 'intervention', id: ids.vitA, on: '2026-11-23', agency: expect.objectContaining({ type: 'sponsor', id: w.a.sponsorId }), details: expect.objectContaining({ catalogueCode: 'VIT_A', quantity: 1 }) }),
    ]);
    expect(item('JKN').evidence).toEqual([
      expect.objectContaining({ kind: 'task', id: ids.task, on: '2026-11-23', agency: { type: 'opd', id: ids.dinsos, code: 'DINSOS', name: 'Dinas Sosial Bekasi' } }),
    ]);
    expect(item('AIR_MINUM_LAYAK').evidence).toEqual([expect.objectContaining({ kind: 'family', id: ids.krs, on: '2026-11-23' })]);
    expect(item('PMT_BB_KURANG').notApplicableBecause).toBe('condition');
  });

  it('the underweight baby: PMT met by the TPK visit; the rest overdue (born March 2025) or missing', async () => {
    const c = await card(under);
    expect(c.fullPackage).toBe(false);
    expect(statuses(c)).toEqual({
      PEMANTAUAN_PERTUMBUHAN: 'met',
      IMUNISASI_DASAR: 'overdue',
      VIT_A: 'overdue',
      PMT_BB_KURANG: 'met',
      JKN: 'overdue',
      AIR_MINUM_LAYAK: 'overdue',
      JAMBAN_SEHAT: 'overdue',
    });
    const pmt = c.items.find((i) => i.code === 'PMT_BB_KURANG')!;
    expect(pmt.evidence).toEqual([expect.objectContaining({ kind: 'visit', id: ids.visit, on: '2026-11-23', agency: expect.objectContaining({ type: 'tpk', name: 'TPK Setiadarma' }) })]);
    expect(pmt).toMatchObject({ dueOn: '2026-12-04' });
  });

  it('the toddler with nothing, and the pregnant woman with 90 tablets and 4 contacts', async () => {
    const c = await card(toddler);
    expect(c.items.filter((i) => i.status === 'met')).toEqual([]);
    expect(statuses(c)).toMatchObject({ PEMANTAUAN_PERTUMBUHAN: 'overdue', PMT_BB_KURANG: 'not_applicable', TATA_LAKSANA_GIZI_BURUK: 'not_applicable' });

    const m = await card(mother);
    // Registered today: items due from registration are missing, not overdue.
    expect(statuses(m)).toEqual({ TTD_90: 'met', ANC: 'met', PMT_KEK: 'not_applicable', JKN: 'missing', AIR_MINUM_LAYAK: 'missing', JAMBAN_SEHAT: 'missing' });
    expect(m.items.find((i) => i.code === 'TTD_90')!.evidence.map((e) => [e.id, e.details.quantity])).toEqual([
      [ids.ttd1, 30],
      [ids.ttd2, 60],
    ]);
    expect(m.items.find((i) => i.code === 'ANC')!.evidence).toHaveLength(4);
  });

  it('the report per village and kecamatan matches the stored rows and every stored target\'s scorecard', async () => {
    const res = await t.http().get('/api/v1/reports/convergence?level=desa&period=2026-11').set(bearer(w.a.tokens.viewer)).expect(200);
    expect(res.body).toMatchObject({ level: 'desa', period: '2026-11', asOf: '2026-11-23', code: REGENCY_A.code });
    expect(JSON.stringify(res.body)).not.toMatch(/Bayi|Balita Sagara|Ibu Hamil Setia|Anak a/);

    // Independently: every stored target of the regency, by village and group, and the scorecard of each.
    const stored = await t.sql<{ id: string; village_code: string; target_group: string }>(
      `SELECT id, village_code, target_group FROM subjects WHERE regency_code = $1 AND restricted_at IS NULL ORDER BY id`,
      [REGENCY_A.code],
    );
    const expected = new Map<string, { targets: number; full: number; items: Map<string, { applicable: number; met: number }> }>();
    for (const s of stored) {
      const c = await card(s.id);
      for (const level of [10, 6]) {
        const key = `${s.village_code.slice(0, level)}/${s.target_group}`;
        const e = expected.get(key) ?? { targets: 0, full: 0, items: new Map() };
        e.targets += 1;
        if (c.fullPackage) e.full += 1;
        for (const i of c.items) {
          const x = e.items.get(i.code) ?? { applicable: 0, met: 0 };
          if (i.status !== 'not_applicable') x.applicable += 1;
          if (i.status === 'met') x.met += 1;
          e.items.set(i.code, x);
        }
        expected.set(key, e);
      }
    }
    const check = (regions: ReportRegion[]) => {
      let seen = 0;
      for (const r of regions) {
        for (const g of r.groups) {
          const e = expected.get(`${r.code}/${g.targetGroup}`);
          expect([r.code, g.targetGroup, g.targets, g.fullPackage]).toEqual([r.code, g.targetGroup, e?.targets ?? 0, e?.full ?? 0]);
          for (const i of g.items) expect([r.code, g.targetGroup, i.code, i.applicable, i.met]).toEqual([r.code, g.targetGroup, i.code, e?.items.get(i.code)?.applicable ?? 0, e?.items.get(i.code)?.met ?? 0]);
          seen += g.targets;
        }
      }
      return seen;
    };
    expect(check(res.body.regions)).toBe(stored.length);
    expect(res.body.regions.map((r: ReportRegion) => r.code)).toEqual([...new Set(stored.map((s) => s.village_code))].sort());

    // Spelled out for V1's babies: 2 targets, 1 with the full package (50%); vitamin A met by 1 of 2; PMT applies to 1 and is met.
    const v1 = (res.body.regions as ReportRegion[]).find((r) => r.code === V1)!;
    expect(v1.name).toBe('Setiadarma');
    const baduta = v1.groups.find((g) => g.targetGroup === 'BADUTA')!;
    expect(baduta).toMatchObject({ targets: 2, fullPackage: 1, fullPackageShare: 50 });
    expect(baduta.items.find((i) => i.code === 'VIT_A')).toEqual({ code: 'VIT_A', name: expect.any(String), applicable: 2, met: 1, share: 50 });
    expect(baduta.items.find((i) => i.code === 'PMT_BB_KURANG')).toMatchObject({ applicable: 1, met: 1, share: 100 });
    // And from the raw rows: babies of V1 with a VIT_A delivery.
    const [{ n }] = await t.sql<{ n: number }>(
      `SELECT count(DISTINCT c.subject_id)::int AS n FROM deliveries d JOIN interventions i ON i.id = d.intervention_id JOIN cases c ON c.id = i.case_id JOIN subjects s ON s.id = c.subject_id
        WHERE i.catalogue_code = 'VIT_A' AND s.village_code = $1 AND s.target_group = 'BADUTA'`,
      [V1],
    );
    expect(n).toBe(1);

    const kec = await t.http().get('/api/v1/reports/convergence?level=kecamatan&period=2026-11').set(cm).expect(200);
    expect(kec.body.regions.map((r: ReportRegion) => r.code)).toEqual(['321601', '321606']);
    expect(check(kec.body.regions)).toBe(stored.length);
    // One kecamatan by code; a village asked at kecamatan level is refused.
    const one = await t.http().get('/api/v1/reports/convergence?level=desa&period=2026-11&code=321601').set(cm).expect(200);
    expect(one.body.regions.map((r: ReportRegion) => r.code)).toEqual([V2]);
    const bad = await t.http().get(`/api/v1/reports/convergence?level=kecamatan&period=2026-11&code=${V1}`).set(cm).expect(400);
    expect(bad.body.details.fields).toEqual([{ field: 'code', reason: 'is a village: ask level=desa' }]);
  });

  it('an earlier month counts only what had happened by its end', async () => {
    // On 31 October nobody here was registered yet (every subject was created on 23 November).
    const res = await t.http().get('/api/v1/reports/convergence?level=desa&period=2026-10').set(cm).expect(200);
    expect(res.body).toMatchObject({ asOf: '2026-10-31', regions: [] });
    await t.http().get('/api/v1/reports/convergence?level=desa&period=2026-12').set(cm).expect(400);
  });

  it("regency B's users get 404 for regency A's subject and codes; the national admin reads both", async () => {
    const b = bearer(w.b.tokens.case_manager);
    await t.http().get(`/api/v1/subjects/${full}/convergence`).set(b).expect(404);
    await t.http().get(`/api/v1/subjects/${full}/convergence`).set(bearer(w.b.tokens.viewer)).expect(404);
    await t.http().get(`/api/v1/reports/convergence?level=desa&period=2026-11&code=${REGENCY_A.code}`).set(bearer(w.b.tokens.viewer)).expect(404);
    await t.http().get(`/api/v1/reports/convergence?level=desa&period=2026-11&code=321606`).set(b).expect(404);
    await t.http().get(`/api/v1/reports/convergence?level=desa&period=2026-11&code=32`).set(b).expect(404);
    await t.http().get(`/api/v1/convergence-packages/${REGENCY_A.code}`).set(b).expect(404);
    const own = await t.http().get('/api/v1/reports/convergence?level=desa&period=2026-11').set(bearer(w.b.tokens.viewer)).expect(200);
    expect(own.body.regions.every((r: ReportRegion) => r.code.startsWith(w.b.regencyCode))).toBe(true);
    // Computed when asked, so a user above one regency names the regency (or a place in it).
    const whole = await t.http().get('/api/v1/reports/convergence?level=kecamatan&period=2026-11').set(bearer(w.nationalToken)).expect(400);
    expect(whole.body.details.fields).toEqual([{ field: 'code', reason: 'is required: a regency, kecamatan or village code' }]);
    for (const code of [REGENCY_A.code, w.b.regencyCode]) {
      const one = await t.http().get(`/api/v1/reports/convergence?level=kecamatan&period=2026-11&code=${code}`).set(bearer(w.nationalToken)).expect(200);
      expect(one.body.regions.every((r: ReportRegion) => r.code.startsWith(code))).toBe(true);
    }
    await t.http().get(`/api/v1/subjects/${full}/convergence`).set(bearer(w.nationalToken)).expect(200);
  });

  it('who reads a scorecard: a viewer, a TPK member of the village, a liaison of an OPD with a task (with X-Purpose); not a partner or another OPD', async () => {
    await card(full, bearer(w.a.tokens.viewer));
    await card(under, bearer(w.a.tokens.tpk));
    await t.http().get(`/api/v1/subjects/${toddler}/convergence`).set(bearer(w.a.tokens.tpk)).expect(404); // V2 is not the TPK member's village
    await t.http().get(`/api/v1/subjects/${full}/convergence`).set(dinsosLiaison).expect(400);
    await t.http().get(`/api/v1/subjects/${full}/convergence`).set(dinsosLiaison).set('X-Purpose', 'cek JKN').expect(200);
    await t.http().get(`/api/v1/subjects/${mother}/convergence`).set(dinsosLiaison).set('X-Purpose', 'cek JKN').expect(404);
    await t.http().get(`/api/v1/subjects/${full}/convergence`).set(partner).expect(403);
    await t.http().get(`/api/v1/reports/convergence?level=desa&period=2026-11`).set(partner).expect(403);
    await t.http().get(`/api/v1/subjects/${randomUUID()}/convergence`).set(cm).expect(404);
  });

  it("a regency's own package: bad input is refused with field and reason, nothing written; a good one is in force for the scorecard and the report", async () => {
    const admin = bearer(w.a.tokens.admin);
    const base = (await t.http().get(`/api/v1/convergence-packages/${REGENCY_A.code}`).set(cm).expect(200)).body;
    expect(base.current).toMatchObject({ regencyCode: '*', version: 1 });
    const baduta = base.current.groups.BADUTA as object[];

    const refuse = async (body: object, fields: { field: string; reason: string }[]) => {
      const res = await t.http().put(`/api/v1/convergence-packages/${REGENCY_A.code}`).set(admin).send(body).expect(400);
      expect(res.body.details.fields).toEqual(fields);
    };
    await refuse({ groups: [{ targetGroup: 'BADUTA', items: [{ code: 'X', name: 'x', kind: 'spesifik', windowDays: 30, dueDays: 30, evidence: [] }] }] }, [
      { field: 'groups.0.items.0.code', reason: 'must be 2-40 characters of A-Z, 0-9 and _' },
      { field: 'groups.0.items.0.evidence', reason: 'must list at least one item' },
    ]);
    await refuse({ groups: [{ targetGroup: 'BADUTA', items: [{ code: 'XX', name: 'x', kind: 'spesifik', windowDays: 30, dueDays: 30, evidence: [{ kind: 'intervention', catalogueCodes: ['NOT_IN_CATALOGUE'] }] }] }] }, [
      { field: 'groups.0.items.0.evidence.0.catalogueCodes', reason: 'is not a catalogue code of regency 3216' },
    ]);
    await refuse({ groups: [{ targetGroup: 'IBU_HAMIL', items: [{ code: 'XX', name: 'x', kind: 'spesifik', fromAgeMonths: 3, windowDays: 30, dueDays: 30, evidence: [{ kind: 'task' }] }] }] }, [
      { field: 'groups.0.items.0.fromAgeMonths', reason: 'ages apply to BADUTA and BALITA items only' },
      { field: 'groups.0.items.0.evidence.0.opdCode', reason: 'must be an OPD code such as DINKES' },
    ]);
    await refuse({ groups: [{ targetGroup: 'LANSIA', items: [] }] }, [{ field: 'groups.0.targetGroup', reason: 'must be one of BALITA, BADUTA, IBU_HAMIL, IBU_NIFAS, CATIN' }]);
    await t.http().put(`/api/v1/convergence-packages/${REGENCY_A.code}`).set(cm).send({ groups: [] }).expect(403);
    expect(await t.sql(`SELECT 1 FROM convergence_packages WHERE regency_code = $1`, [REGENCY_A.code])).toHaveLength(0);

    // Bekasi drops vitamin A from the baduta package: the underweight baby still misses others, but the item is gone everywhere.
    const without = baduta.filter((i) => (i as { code: string }).code !== 'VIT_A');
    const put = await t.http().put(`/api/v1/convergence-packages/${REGENCY_A.code}`).set(admin).send({ groups: [{ targetGroup: 'BADUTA', items: without }], source: 'Perbup uji' }).expect(200);
    expect(put.body).toMatchObject({ regencyCode: REGENCY_A.code, version: 2, source: 'Perbup uji' });
    const c = await card(full);
    expect(c.items.map((i) => i.code)).not.toContain('VIT_A');
    const res = await t.http().get('/api/v1/reports/convergence?level=desa&period=2026-11').set(cm).expect(200);
    const v1 = (res.body.regions as (ReportRegion & { package: { regencyCode: string; version: number } })[]).find((r) => r.code === V1)!;
    expect(v1.package).toEqual({ regencyCode: REGENCY_A.code, version: 2 });
    // Only BADUTA is in Bekasi's package now: the pregnant woman is no target of it.
    expect(v1.groups.map((g) => g.targetGroup)).toEqual(['BADUTA']);
    expect(v1.groups[0].items.map((i) => i.code)).not.toContain('VIT_A');
    // Regency B still answers with the national package.
    const b = await t.http().get('/api/v1/reports/convergence?level=desa&period=2026-11').set(bearer(w.b.tokens.viewer)).expect(200);
    expect(b.body.regions[0].package).toEqual({ regencyCode: '*', version: 1 });
  });
});
