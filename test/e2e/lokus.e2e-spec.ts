import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, T0, type TestApp } from '../support/test-app.js';
import { bearer, buildWorld, REGENCY_A, REGENCY_B, type World } from '../support/world.js';

const DAY_MS = 86_400_000;
/** A calendar day shifted by whole days (test-side arithmetic, independent of the service's helpers). */
const shift = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const daysFrom = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
/** A WIB wall-clock time as an instant. */
const wib = (day: string, time: string) => new Date(`${day}T${time}:00+07:00`);

const TODAY = '2026-11-23'; // T0 is Monday 23 November 2026, 10:00 WIB
const OPEN = ['identified', 'audited', 'intervened', 'remeasured'];
const STEPS = ['case', 'task', 'intervention'];

type Counts = {
  openCases: Record<string, number>;
  overdueSteps: Record<string, number>;
  stepsDueToday: Record<string, number>;
  pregnantDueWithin30Days: number;
  catinAtRisk: number;
  visitsDueThisWeek: number;
  visitsOverdue: number;
};

/**
 * Issue 18 part 4: lokus villages by decree and the daily lokus watch on a seeded district of
 * Kab. Bekasi (2 kecamatan, 5 villages, 3 of them lokus). Every figure of the watch is checked
 * against counts this test computes itself from the stored rows.
 */
describe('lokus and the daily lokus watch', () => {
  let t: TestApp;
  let w: World;
  let cm: Record<string, string>;
  let auditor: Record<string, string>;
  let national: Record<string, string>;
  /** Kec. 1: L1, L2 lokus and N1 not; kec. 2: L3 lokus and N2 not. */
  let v: { L1: string; L2: string; N1: string; L3: string; N2: string };
  let kec2: string;
  let lokus: string[];
  let dueTodayTask: string;

  const post = (path: string, who: Record<string, string>, body: object) => t.http().post(path).set(who).send(body);
  const setLokus = (who: Record<string, string>, body: object) => post('/api/v1/lokus', who, body);
  const watch = (who: Record<string, string>, query = '') => t.http().get(`/api/v1/reports/lokus-watch${query}`).set(who);

  const subject = async (villageCode: string, targetGroup: string, name: string, birthDate: string, sex = 'F') => {
    const res = await post('/api/v1/subjects', cm, { targetGroup, name, sex, birthDate, villageCode }).expect(201);
    return res.body.id as string;
  };
  const openCase = async (villageCode: string, name: string) => {
    const subjectId = await subject(villageCode, 'BALITA', name, '2024-05-01');
    const res = await post('/api/v1/cases', cm, { subjectId, identifiedAt: TODAY, source: 'manual' }).expect(201);
    return res.body.id as string;
  };
  let kk = 0;
  const pregnantFamily = async (villageCode: string, wifeName: string, gestWeeks: number, gestRecordedOn: string, deliveredOn?: string) => {
    const wifeId = await subject(villageCode, 'IBU_HAMIL', wifeName, '1996-04-12');
    kk += 1;
    await post('/api/v1/families', cm, {
      familyCardNumber: `${villageCode.slice(0, 6)}99000${String(kk).padStart(5, '0')}`,
      headName: `Suami ${wifeName}`,
      villageCode,
      members: [
        { relation: 'KK', name: `Suami ${wifeName}`, sex: 'M', birthDate: '1994-01-01' },
        { relation: 'ISTRI', subjectId: wifeId, gestWeeks, gestRecordedOn, ...(deliveredOn ? { deliveredOn } : {}) },
      ],
    }).expect(201);
    return wifeId;
  };
  const catin = async (villageCode: string, name: string, atRisk: boolean) => {
    const id = await subject(villageCode, 'CATIN', name, atRisk ? '2007-03-01' : '1999-03-01');
    const body = atRisk
      ? { plannedMarriageDate: '2027-03-14', weightKg: 42, heightCm: 154, muacCm: 22.5, hbGdl: 10.4, smoker: false }
      : { plannedMarriageDate: '2027-03-14', weightKg: 55, heightCm: 158, muacCm: 26, hbGdl: 13, smoker: false };
    const res = await post(`/api/v1/subjects/${id}/screenings`, cm, body).expect(201);
    expect(res.body.result).toBe(atRisk ? 'BERISIKO' : 'IDEAL');
    return id;
  };

  /** The watch of `day` for the given lokus villages, computed here from the stored rows, by the rules of docs/lokus.md. */
  async function expected(day: string, villages: string[]): Promise<Record<string, Counts>> {
    const dayStart = wib(day, '00:00');
    const dayEnd = wib(shift(day, 1), '00:00');
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    const sunday = shift(day, weekday === 0 ? 0 : 7 - weekday);
    const out: Record<string, Counts> = {};
    const zero = (keys: string[]) => Object.fromEntries([['total', 0], ...keys.map((k) => [k, 0])]);
    for (const code of villages) {
      out[code] = { openCases: zero(OPEN), overdueSteps: zero(STEPS), stepsDueToday: zero(STEPS), pregnantDueWithin30Days: 0, catinAtRisk: 0, visitsDueThisWeek: 0, visitsOverdue: 0 };
    }
    const mine = (code: string) => out[code];
    for (const c of await t.sql<{ village_code: string; state: string }>(`SELECT village_code, state FROM cases WHERE regency_code = $1`, [REGENCY_A.code])) {
      if (!mine(c.village_code) || !OPEN.includes(c.state)) continue;
      mine(c.village_code).openCases[c.state] += 1;
      mine(c.village_code).openCases.total += 1;
    }
    for (const s of await t.sql<{ village_code: string; aggregate_type: string; due_at: Date }>(
      `SELECT village_code, aggregate_type, due_at FROM step_deadlines WHERE regency_code = $1`,
      [REGENCY_A.code],
    )) {
      if (!s.village_code || !mine(s.village_code) || !STEPS.includes(s.aggregate_type)) continue;
      const due = new Date(s.due_at).getTime();
      const bucket = due < dayStart.getTime() ? 'overdueSteps' : due < dayEnd.getTime() ? 'stepsDueToday' : null;
      if (!bucket) continue;
      mine(s.village_code)[bucket][s.aggregate_type] += 1;
      mine(s.village_code)[bucket].total += 1;
    }
    for (const m of await t.sql<{ village_code: string; gest_weeks: number | null; gest_recorded_on: string | null; delivered_on: string | null }>(
      `SELECT f.village_code, m.gest_weeks, m.gest_recorded_on::text, m.delivered_on::text FROM family_members m JOIN families f ON f.id = m.family_id WHERE f.regency_code = $1`,
      [REGENCY_A.code],
    )) {
      if (!mine(m.village_code) || m.gest_weeks === null || m.gest_recorded_on === null) continue;
      if (m.gest_recorded_on > day || (m.delivered_on !== null && m.delivered_on <= day)) continue;
      const weeksOnDay = m.gest_weeks + Math.floor(daysFrom(m.gest_recorded_on, day) / 7);
      const edd = shift(m.gest_recorded_on, 280 - 7 * m.gest_weeks);
      if (weeksOnDay <= 40 && edd <= shift(day, 30)) mine(m.village_code).pregnantDueWithin30Days += 1;
    }
    const screenings = await t.sql<{ subject_id: string; village_code: string; target_group: string; screened_on: string; created_at: Date; result: string; planned: string }>(
      `SELECT c.subject_id, s.village_code, s.target_group, c.screened_on::text, c.created_at, c.result, c.planned_marriage_date::text AS planned
         FROM catin_screenings c JOIN subjects s ON s.id = c.subject_id WHERE c.regency_code = $1`,
      [REGENCY_A.code],
    );
    const latest = new Map<string, (typeof screenings)[number]>();
    for (const s of screenings.filter((x) => x.screened_on <= day)) {
      const seen = latest.get(s.subject_id);
      if (!seen || seen.screened_on < s.screened_on || (seen.screened_on === s.screened_on && new Date(seen.created_at) < new Date(s.created_at))) latest.set(s.subject_id, s);
    }
    for (const s of latest.values()) if (mine(s.village_code) && s.result === 'BERISIKO' && s.planned >= day && s.target_group === 'CATIN') mine(s.village_code).catinAtRisk += 1;
    for (const a of await t.sql<{ village_code: string; state: string; due_on: string | null }>(
      `SELECT village_code, state, due_on::text FROM accompaniments WHERE regency_code = $1`,
      [REGENCY_A.code],
    )) {
      if (!mine(a.village_code) || a.state !== 'open' || a.due_on === null) continue;
      if (a.due_on < day) mine(a.village_code).visitsOverdue += 1;
      else if (a.due_on <= sunday) mine(a.village_code).visitsDueThisWeek += 1;
    }
    return out;
  }

  const countsOf = (body: { villages: (Counts & { villageCode: string })[] }) =>
    Object.fromEntries(
      body.villages.map((x) => [
        x.villageCode,
        {
          openCases: x.openCases,
          overdueSteps: x.overdueSteps,
          stepsDueToday: x.stepsDueToday,
          pregnantDueWithin30Days: x.pregnantDueWithin30Days,
          catinAtRisk: x.catinAtRisk,
          visitsDueThisWeek: x.visitsDueThisWeek,
          visitsOverdue: x.visitsOverdue,
        },
      ]),
    );
  const sumOf = (all: Counts[]): Counts => {
    const add = (a: Record<string, number>, b: Record<string, number>) => Object.fromEntries(Object.keys(a).map((k) => [k, a[k] + b[k]]));
    return all.reduce((s, c) => ({
      openCases: add(s.openCases, c.openCases),
      overdueSteps: add(s.overdueSteps, c.overdueSteps),
      stepsDueToday: add(s.stepsDueToday, c.stepsDueToday),
      pregnantDueWithin30Days: s.pregnantDueWithin30Days + c.pregnantDueWithin30Days,
      catinAtRisk: s.catinAtRisk + c.catinAtRisk,
      visitsDueThisWeek: s.visitsDueThisWeek + c.visitsDueThisWeek,
      visitsOverdue: s.visitsOverdue + c.visitsOverdue,
    }));
  };

  beforeAll(async () => {
    t = await createTestApp({ JWT_TTL_SECONDS: String(30 * 24 * 3600) });
    t.clock.set(T0);
    w = await buildWorld(t);
    cm = bearer(w.a.tokens.case_manager);
    auditor = bearer(w.a.tokens.auditor);
    national = bearer(w.nationalToken);

    // Real codes of Kab. Bekasi: Setiadarma and two more villages of Tambun Selatan, two of another kecamatan.
    const regions = async (parent: string) => (await t.http().get(`/api/v1/regions?parent=${parent}`).set(cm).expect(200)).body.items as { code: string }[];
    const tambun = (await regions(REGENCY_A.district)).map((r) => r.code).filter((c) => c !== REGENCY_A.village);
    kec2 = (await regions(REGENCY_A.code)).map((r) => r.code).find((c) => c !== REGENCY_A.district)!;
    const other = (await regions(kec2)).map((r) => r.code);
    v = { L1: REGENCY_A.village, L2: tambun[0], N1: tambun[1], L3: other[0], N2: other[1] };
    lokus = [v.L1, v.L2, v.L3];

    // Cases: two in L1 (one audited, so it has an OPD task), one in L2, one open and one closed in L3, one in each non-lokus village.
    const c1 = await openCase(v.L1, 'Anak Satu');
    await openCase(v.L1, 'Anak Dua');
    await post(`/api/v1/cases/${c1}/events`, auditor, {
      type: 'RECORD_AUDIT',
      auditedAt: T0.toISOString(),
      cycle: '2026-S2',
      causes: ['INADEQUATE_INTAKE'],
      recommendations: [{ action: 'PMT lokal', opdCode: 'DINKES' }],
      experts: [{ specialty: 'SpA' }],
    })
      .set('If-Match', '"1"')
      .expect(200);
    await openCase(v.L2, 'Anak Tiga');
    await openCase(v.L3, 'Anak Empat');
    const closed = await openCase(v.L3, 'Anak Lima');
    await post(`/api/v1/cases/${closed}/events`, cm, { type: 'CLOSE', reason: 'moved_away', note: 'Pindah' }).set('If-Match', '"1"').expect(200);
    await openCase(v.N1, 'Anak Enam');
    await openCase(v.N2, 'Anak Tujuh');

    // Deadlines at the boundaries (the workflow's own due times are days away): a step of the
    // second L1 case lapsed yesterday; the L1 task's step lapses at 23:30 WIB today.
    const [task] = await t.sql<{ id: string }>(`SELECT id FROM tasks WHERE case_id = $1`, [c1]);
    dueTodayTask = task.id;
    await t.sql(`UPDATE step_deadlines SET due_at = $2 WHERE aggregate_type = 'task' AND aggregate_id = $1`, [dueTodayTask, wib(TODAY, '23:30')]);
    await t.sql(
      `UPDATE step_deadlines SET due_at = $1 WHERE aggregate_type = 'case' AND aggregate_id = (SELECT id FROM cases WHERE village_code = $2 AND id <> $3 LIMIT 1)`,
      [wib(shift(TODAY, -1), '12:00'), v.L1, c1],
    );
    // A step of the non-lokus N1 case lapsed too: it must never show.
    await t.sql(`UPDATE step_deadlines SET due_at = $1 WHERE aggregate_type = 'case' AND village_code = $2`, [wib(shift(TODAY, -2), '08:00'), v.N1]);

    // Pregnancies: due in 20 days (L1), in 40 days (L2), delivered yesterday (L3), due in 10 days but not lokus (N1).
    const due20 = await pregnantFamily(v.L1, 'Ibu Duapuluh', 37, shift(TODAY, -1)); // LMP + 280 = today + 20
    const due40 = await pregnantFamily(v.L2, 'Ibu Empatpuluh', 34, shift(TODAY, -2)); // today + 40
    await pregnantFamily(v.L3, 'Ibu Melahirkan', 39, shift(TODAY, -3), shift(TODAY, -1));
    await pregnantFamily(v.N1, 'Ibu Luar', 38, shift(TODAY, -4)); // today + 10

    // Brides-to-be: at risk in L2, ideal in L3, at risk in N2 (not lokus).
    const risky = await catin(v.L2, 'Dewi Lestari', true);
    await catin(v.L3, 'Rina Marlina', false);
    await catin(v.N2, 'Sari Wulan', true);

    // TPK visits: the accompaniments those opened, their due days put this week (L1), next week (L2) and last week (the L2 bride: overdue).
    const setDue = (subjectId: string, day: string) => t.sql(`UPDATE accompaniments SET due_on = $2 WHERE subject_id = $1 AND state = 'open'`, [subjectId, day]);
    await setDue(due20, '2026-11-26');
    await setDue(due40, '2026-12-02');
    await setDue(risky, '2026-11-20');
  }, 300_000);
  afterAll(async () => {
    await t?.close();
  });

  it('refuses a bad decree with the field and the reason, and writes nothing', async () => {
    const body = { year: 2026, villageCodes: lokus, decreeRef: 'SK Bupati Bekasi No. 440/Kep.1/2026' };
    const refused = async (b: object, who = cm) => {
      const res = await setLokus(who, b);
      expect(res.status).toBe(400);
      return res.body.details.fields as { field: string; reason: string }[];
    };
    expect(await refused({ ...body, villageCodes: [v.L1, '3216069999'] })).toEqual([{ field: 'villageCodes.1', reason: 'is not a Kemendagri village code' }]);
    expect(await refused({ ...body, villageCodes: [v.L1, REGENCY_B.village] })).toEqual([{ field: 'villageCodes.1', reason: 'is not in regency 3216' }]);
    expect(await refused({ ...body, year: 2017 })).toEqual([{ field: 'year', reason: 'must be at least 2018' }]);
    expect(await refused({ ...body, year: 2028 })).toEqual([{ field: 'year', reason: 'must be at most 2027' }]);
    expect(await refused({ ...body, villageCodes: [] })).toEqual([{ field: 'villageCodes', reason: 'must list at least 1 item' }]);
    expect(await refused({ ...body, villageCodes: [v.L1, v.L1] })).toEqual([{ field: 'villageCodes', reason: 'must not list the same item twice' }]);
    expect(await refused({ year: 2026, villageCodes: lokus })).toEqual([{ field: 'decreeRef', reason: 'is required' }]);
    // A national admin's decree names one regency: a second regency's village is refused by field.
    expect(await refused({ ...body, villageCodes: [v.L1, REGENCY_B.village] }, national)).toEqual([{ field: 'villageCodes.1', reason: 'is not in regency 3216' }]);
    const id = await setLokus(cm, { ...body, villageCodes: [v.L1, '3216069999'] }).set('Accept-Language', 'id');
    expect(id.body.details.fields).toEqual([{ field: 'villageCodes.1', reason: 'bukan kode desa/kelurahan Kemendagri' }]);
    // A decree wholly of another regency is a write into it: refused as every such write is.
    expect((await setLokus(cm, { ...body, villageCodes: [REGENCY_B.village] })).status).toBe(403);
    // Readers may not set lokus.
    for (const role of ['viewer', 'auditor', 'tpk', 'opd_liaison'] as const) expect((await setLokus(bearer(w.a.tokens[role]), body)).status).toBe(403);
    expect(await t.sql(`SELECT 1 FROM lokus_sets`)).toEqual([]);
    expect(await t.sql(`SELECT 1 FROM lokus_villages`)).toEqual([]);
  });

  it("sets a regency's lokus of a year by decree and lists them with village and kecamatan names", async () => {
    const res = await setLokus(cm, { year: 2026, villageCodes: [v.L3, v.L1, v.L2], decreeRef: 'SK Bupati Bekasi No. 440/Kep.1/2026', reasons: ['prevalensi tertinggi'] }).expect(201);
    // By kecamatan, then village: the kecamatan code is the village code's prefix.
    expect(res.body.current.villages.map((x: { villageCode: string }) => x.villageCode)).toEqual([...lokus].sort());
    const place = (code: string) => res.body.current.villages.find((x: { villageCode: string }) => x.villageCode === code);
    expect(place(v.L1)).toEqual({ villageCode: v.L1, villageName: 'Setiadarma', districtCode: REGENCY_A.district, districtName: 'Tambun Selatan' });
    expect(place(v.L3).districtCode).toBe(kec2);
    expect(res.body.current).toMatchObject({ decreeRef: 'SK Bupati Bekasi No. 440/Kep.1/2026', reasons: ['prevalensi tertinggi'], setBy: { userId: w.a.userIds.case_manager } });
    expect(res.body.replaced).toEqual([]);
    const listed = await t.http().get('/api/v1/lokus?year=2026').set(bearer(w.a.tokens.viewer)).expect(200);
    expect(listed.body).toEqual(res.body);
    const stored = await t.sql<{ village_code: string }>(`SELECT village_code FROM lokus_villages WHERE regency_code = $1 AND year = 2026 ORDER BY 1`, [REGENCY_A.code]);
    expect(stored.map((r) => r.village_code)).toEqual([...lokus].sort());
    // Another year has none.
    expect((await t.http().get('/api/v1/lokus?year=2025').set(cm).expect(200)).body).toMatchObject({ year: 2025, current: null, replaced: [] });
  });

  it('watches every lokus village and only those, each figure equal to what the stored rows count', async () => {
    const res = await watch(cm).expect(200);
    expect(res.body).toMatchObject({ regencyCode: REGENCY_A.code, date: TODAY, year: 2026, weekEnd: '2026-11-29' });
    expect(res.body.villages.map((x: { villageCode: string }) => x.villageCode)).toEqual([...lokus].sort());
    expect(res.body.villages.map((x: { villageCode: string }) => x.villageCode)).not.toContain(v.N1);
    const want = await expected(TODAY, lokus);
    expect(countsOf(res.body)).toEqual(want);
    expect(res.body.totals).toEqual(sumOf(Object.values(want)));
    // What the seed was built to show, so the independent count is not trivially zero.
    const by = Object.fromEntries(res.body.villages.map((x: Counts & { villageCode: string }) => [x.villageCode, x]));
    expect(by[v.L1].openCases).toEqual({ total: 2, identified: 1, audited: 1, intervened: 0, remeasured: 0 });
    expect(by[v.L3].openCases.total).toBe(1); // the closed case does not count
    expect(by[v.L1].overdueSteps).toEqual({ total: 1, case: 1, task: 0, intervention: 0 });
    expect(by[v.L1].stepsDueToday.task).toBe(1); // due 23:30 WIB today: not overdue yet
    expect([by[v.L1].pregnantDueWithin30Days, by[v.L2].pregnantDueWithin30Days, by[v.L3].pregnantDueWithin30Days]).toEqual([1, 0, 0]);
    expect([by[v.L2].catinAtRisk, by[v.L3].catinAtRisk]).toEqual([1, 0]);
    expect([by[v.L1].visitsDueThisWeek, by[v.L2].visitsDueThisWeek, by[v.L2].visitsOverdue]).toEqual([1, 0, 1]);
    // Counts only: no names, no subject ids.
    expect(JSON.stringify(res.body)).not.toMatch(/Anak|Ibu|Dewi|subjectId/);
  });

  it('counts a step due at 23:30 WIB today as overdue tomorrow, not today, and a past day against its own calendar', async () => {
    t.clock.set(wib(TODAY, '23:59')); // still today in Bekasi (16:59 UTC)
    const late = await watch(cm).expect(200);
    expect(late.body.date).toBe(TODAY);
    expect(late.body.totals.overdueSteps.task).toBe(0);
    t.clock.set(wib(shift(TODAY, 1), '00:01'));
    const tomorrow = await watch(cm).expect(200);
    expect(tomorrow.body.date).toBe(shift(TODAY, 1));
    const by = Object.fromEntries(tomorrow.body.villages.map((x: Counts & { villageCode: string }) => [x.villageCode, x]));
    expect(by[v.L1].overdueSteps).toMatchObject({ total: 2, case: 1, task: 1 });
    expect(countsOf(tomorrow.body)).toEqual(await expected(shift(TODAY, 1), lokus));
    // Asked for today the next morning, the step is still only due that day.
    const asked = await watch(cm, `?date=${TODAY}`).expect(200);
    expect(countsOf(asked.body)).toEqual(await expected(TODAY, lokus));
    // A Sunday's week ends that day: the visit due Thursday 26th is overdue by Sunday the 29th.
    t.clock.set(wib('2026-11-29', '09:00'));
    const sunday = await watch(cm).expect(200);
    expect(sunday.body.weekEnd).toBe('2026-11-29');
    expect(countsOf(sunday.body)).toEqual(await expected('2026-11-29', lokus));
    t.clock.set(T0);
    const fields = async (q: string) => (await watch(cm, q).expect(400)).body.details.fields;
    expect(await fields('?date=2026-11-24')).toEqual([{ field: 'date', reason: 'is in the future' }]);
    expect(await fields('?date=2026-02-30')).toEqual([{ field: 'date', reason: 'is not a calendar date' }]);
    expect(await fields('?date=23-11-2026')).toEqual([{ field: 'date', reason: 'must be a YYYY-MM-DD date' }]);
    // A year without lokus watches nothing.
    expect((await watch(cm, '?date=2025-12-31').expect(200)).body).toMatchObject({ year: 2025, lokusSetId: null, villages: [] });
  });

  it('keeps each reader to their area: another regency 404, a TPK member their villages, a national user names the regency', async () => {
    const viewerB = bearer(w.b.tokens.viewer);
    await watch(viewerB, `?regencyCode=${REGENCY_A.code}`).expect(404);
    await t.http().get(`/api/v1/lokus?regencyCode=${REGENCY_A.code}`).set(viewerB).expect(404);
    // B's own watch: no lokus set there, so nothing, never A's villages.
    expect((await watch(viewerB).expect(200)).body).toMatchObject({ regencyCode: REGENCY_B.code, villages: [] });
    expect((await t.http().get('/api/v1/lokus').set(viewerB).expect(200)).body).toMatchObject({ regencyCode: REGENCY_B.code, current: null });
    await watch(bearer(w.a.tokens.opd_liaison)).expect(403);
    await watch(bearer(w.a.tokens.csr_partner)).expect(403);

    // A TPK member bound to Setiadarma (L1) sees that lokus village only.
    await post('/api/v1/tpk-teams', cm, { villageCode: v.L1, name: 'TPK Setiadarma', members: [{ userId: w.a.userIds.tpk, tpkRole: 'bidan' }] }).expect(201);
    const tpk = bearer(w.a.tokens.tpk);
    const mine = await watch(tpk).expect(200);
    expect(mine.body.villages.map((x: { villageCode: string }) => x.villageCode)).toEqual([v.L1]);
    const want = await expected(TODAY, [v.L1]);
    expect(countsOf(mine.body)).toEqual(want);
    expect(mine.body.totals).toEqual(want[v.L1]);
    expect((await t.http().get('/api/v1/lokus').set(tpk).expect(200)).body.current.villages.map((x: { villageCode: string }) => x.villageCode)).toEqual([v.L1]);

    const field = (await watch(national).expect(400)).body.details.fields;
    expect(field).toEqual([{ field: 'regencyCode', reason: 'is required for a user not bound to one regency' }]);
    const nat = await watch(national, `?regencyCode=${REGENCY_A.code}&date=${TODAY}`).expect(200);
    expect(countsOf(nat.body)).toEqual(await expected(TODAY, lokus));
    await watch(national, '?regencyCode=3299').expect(404); // not a regency
  });

  it('replaces the set with a later decree and keeps the earlier one retrievable', async () => {
    const first = (await t.http().get('/api/v1/lokus?year=2026').set(cm).expect(200)).body.current;
    t.clock.set(new Date(T0.getTime() + 3_600_000));
    const next = [v.L1, v.N1].sort();
    const res = await setLokus(national, { year: 2026, villageCodes: next, decreeRef: 'SK Bupati Bekasi No. 440/Kep.2/2026' }).expect(201);
    expect(res.body.current.villages.map((x: { villageCode: string }) => x.villageCode)).toEqual(next);
    expect(res.body.replaced).toEqual([
      { id: first.id, decreeRef: first.decreeRef, reasons: first.reasons, setBy: first.setBy, setAt: first.setAt, villageCodes: [...lokus].sort(), replacedAt: new Date(T0.getTime() + 3_600_000).toISOString() },
    ]);
    const sets = await t.sql<{ id: string; replaced_by: string | null }>(`SELECT id, replaced_by FROM lokus_sets ORDER BY set_at`);
    expect(sets).toEqual([{ id: first.id, replaced_by: res.body.current.id }, { id: res.body.current.id, replaced_by: null }]);
    const watched = await watch(cm).expect(200);
    expect(watched.body.lokusSetId).toBe(res.body.current.id);
    expect(watched.body.villages.map((x: { villageCode: string }) => x.villageCode)).toEqual(next);
    expect(countsOf(watched.body)).toEqual(await expected(shift(TODAY, 0), next));
    // N1's pregnancy (due in 10 days) and its lapsed step now show; L2 and L3 no longer do.
    expect(watched.body.totals.pregnantDueWithin30Days).toBe(2);
    t.clock.set(T0);
  });

  it("keeps one regency's decree from touching another's", async () => {
    const b = await setLokus(bearer(w.b.tokens.case_manager), { year: 2026, villageCodes: [REGENCY_B.village], decreeRef: 'SK Wali Kota Bandung 2026' }).expect(201);
    expect(b.body.regencyCode).toBe(REGENCY_B.code);
    const a = await t.http().get('/api/v1/lokus?year=2026').set(cm).expect(200);
    expect(a.body.current.villages.map((x: { villageCode: string }) => x.villageCode)).toEqual([v.L1, v.N1].sort());
    const watchedB = await watch(bearer(w.b.tokens.viewer)).expect(200);
    expect(watchedB.body.villages.map((x: { villageCode: string }) => x.villageCode)).toEqual([REGENCY_B.village]);
    expect(watchedB.body.totals.openCases.total).toBe(0); // B's only child has no case
  });
});
