import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getDistricts, getRegencies, getVillages } from 'idn-area-data';
import { EXCEL_COLUMNS, EXCEL_HEADER, excelCells, type GeneratedReading } from '../../bench/gen-eppgbm.js';
import { importFile } from '../support/imports.js';
import { ALL_ROLES } from '../../src/modules/identity/role.js';
import { ADMIN, createTestApp, login, type TestApp } from '../support/test-app.js';
import { bearer, buildWorld, passwordOf, REGENCY_A, REGENCY_B, type World } from '../support/world.js';

/**
 * Issue 18 part 3: register prevalence on a seeded district of Kab. Bekasi (2 kecamatan, 5
 * villages), readings imported as Excel saves an e-PPGBM export and posted one by one; every
 * figure is checked against counts computed here from the stored measurement rows.
 */
type Kind = 'normal' | 'stunted' | 'severe' | 'implausible';
// Boys born 2024-08-01: 18 months in February 2026, 24 in August (WHO median about 82 and 87 cm).
const AUG: Record<Kind, number> = { normal: 87, stunted: 79.5, severe: 75, implausible: 62 };
const FEB: Record<Kind, number> = { normal: 82, stunted: 75, severe: 70.5, implausible: 57 };

interface Child {
  key: string;
  village: number;
  feb?: Kind;
  aug: Kind[]; // one or two readings in August (the 5th, then the 20th)
}

const VILLAGES = ['3216062002', '3216062003', '3216062004', '3216012001', '3216012002'];
const KINDS: Kind[] = ['normal', 'normal', 'stunted', 'normal', 'severe', 'normal', 'stunted', 'normal', 'implausible', 'normal'];

function district(): Child[] {
  const sizes = [24, 21, 6, 5, 4];
  const out: Child[] = [];
  sizes.forEach((size, v) => {
    for (let i = 0; i < size; i++) {
      const kind = KINDS[(i + v) % KINDS.length];
      const child: Child = { key: `v${v}c${i}`, village: v, aug: [kind] };
      if (i % 3 === 0) child.feb = kind === 'implausible' ? 'stunted' : kind;
      // Two readings in August: stunted on the 5th, the latest (20th) decides.
      if (i % 5 === 1) child.aug = ['stunted', kind];
      out.push(child);
    }
  });
  return out;
}

async function places() {
  const villages = await getVillages();
  const districts = await getDistricts();
  const regency = (await getRegencies()).find((r) => r.code === '32.16')!;
  return VILLAGES.map((code) => {
    const v = villages.find((x) => x.code.replaceAll('.', '') === code)!;
    const d = districts.find((x) => x.code.replaceAll('.', '') === code.slice(0, 6))!;
    return { code, villageName: v.name, kecamatan: d.name, regency: regency.name.toUpperCase() };
  });
}

let nikSeq = 0;
function nikOf(village: string): string {
  nikSeq += 1;
  return `${village.slice(0, 6)}010824${String(5000 + nikSeq)}`;
}

async function excelFile(rows: { nik: string; name: string; village: number; day: string; height: number }[]): Promise<Buffer> {
  const where = await places();
  const lines = [EXCEL_HEADER];
  for (const row of rows) {
    const p = where[row.village];
    const r: GeneratedReading = {
      nik: row.nik,
      name: row.name,
      sex: 'L',
      birth: '2024-08-01',
      mother: `Ibu ${row.name}`,
      address: 'RT 01/RW 02',
      province: 'JAWA BARAT',
      regency: p.regency,
      kecamatan: p.kecamatan,
      villageCode: p.code,
      villageName: p.villageName,
      posyandu: 'Posyandu Melati',
      day: row.day,
      weight: 11,
      height: row.height,
      method: 'Terlentang',
      muac: null,
      haz: 0,
      waz: 0,
    };
    const cells = excelCells(r, () => 0.3);
    lines.push(EXCEL_COLUMNS.map((c) => cells[c]).map((v) => (/[;"\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v)).join(';'));
  }
  return Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`);
}

interface Stored {
  id: string;
  subjectId: string;
  villageCode: string;
  targetGroup: string;
  day: string;
  createdAt: string;
  ageDays: number;
  lengthHeightCm: number | null;
  haz: number | null;
  method: string | null;
  flags: string[];
}

type Tally = { measured: number; stunted: number; severe: number; excluded: number };

/**
 * The counts, computed here from the stored rows: per child and month the latest plausible
 * reading (0-59 months, |HAZ| <= 6, a length and position, no height drop), else excluded.
 */
function tally(rows: Stored[], period: string, digits: number, asOf?: Date): Map<string, Tally> {
  const best = new Map<string, { r: Stored; ok: boolean }>();
  for (const r of rows) {
    if (r.day.slice(0, 7) !== period || !['BALITA', 'BADUTA'].includes(r.targetGroup)) continue;
    if (r.ageDays > 1826 || r.lengthHeightCm === null) continue;
    if (asOf && new Date(r.createdAt) > asOf) continue;
    const ok = r.haz !== null && Math.abs(r.haz) <= 6 && r.method !== null && !r.flags.includes('height_drop');
    const held = best.get(r.subjectId);
    const better =
      !held ||
      (ok !== held.ok ? ok : r.day !== held.r.day ? r.day > held.r.day : r.createdAt !== held.r.createdAt ? r.createdAt > held.r.createdAt : r.id > held.r.id);
    if (better) best.set(r.subjectId, { r, ok });
  }
  const out = new Map<string, Tally>();
  for (const { r, ok } of best.values()) {
    const code = r.villageCode.slice(0, digits);
    const t = out.get(code) ?? { measured: 0, stunted: 0, severe: 0, excluded: 0 };
    if (!ok) t.excluded += 1;
    else {
      t.measured += 1;
      if (r.haz! < -2) t.stunted += 1;
      if (r.haz! < -3) t.severe += 1;
    }
    out.set(code, t);
  }
  return out;
}

const rate = (t: Tally) => (t.measured < 20 ? null : Math.round((t.stunted / t.measured) * 10_000) / 100);

describe('prevalence (issue 18, part 3)', () => {
  let t: TestApp;
  let w: World;
  let cm: Record<string, string>;
  let admin: Record<string, string>;
  const children = district();
  const niks = new Map<string, string>();

  const stored = () =>
    t.sql<Stored>(
      `SELECT m.id, m.subject_id AS "subjectId", s.village_code AS "villageCode", s.target_group AS "targetGroup", m.measured_on::text AS day,
              to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "createdAt", m.age_days AS "ageDays",
              m.length_height_cm AS "lengthHeightCm", m.haz, m.method, m.flags
         FROM measurements m JOIN subjects s ON s.id = m.subject_id WHERE s.regency_code = $1`,
      [REGENCY_A.code],
    );
  const report = (query: string, token = cm) => t.http().get(`/api/v1/reports/prevalence?${query}`).set(token);
  const figuresOf = (body: { items: { regionCode: string; period: string }[] }, code: string, period: string) =>
    body.items.find((i) => i.regionCode === code && i.period === period) as Record<string, unknown> | undefined;

  const expectRow = (row: Record<string, unknown> | undefined, tl: Tally | undefined) => {
    const e = tl ?? { measured: 0, stunted: 0, severe: 0, excluded: 0 };
    expect(row).toMatchObject({ source: 'register', measured: e.measured, stunted: e.stunted, severe: e.severe, excludedImplausible: e.excluded, prevalence: rate(e), suppressed: e.measured < 20 });
  };

  /** Moves the clock, and logs everyone in again (a token lives 30 days at most). */
  const setClock = async (at: string) => {
    t.clock.set(new Date(at));
    w.nationalToken = await login(t, ADMIN.username, ADMIN.password);
    for (const [tag, r] of [['a', w.a], ['b', w.b]] as const) {
      for (const role of ALL_ROLES) {
        const username = `${role.replace('_', '')}.${tag}`;
        r.tokens[role] = await login(t, username, passwordOf(username));
      }
    }
    cm = bearer(w.a.tokens.case_manager);
    admin = bearer(w.a.tokens.admin);
  };

  beforeAll(async () => {
    t = await createTestApp({ JWT_TTL_SECONDS: String(30 * 24 * 3600) });
    // February's bulan timbang, imported early in March.
    t.clock.set(new Date('2026-03-05T03:00:00Z'));
    w = await buildWorld(t);
    cm = bearer(w.a.tokens.case_manager);
    admin = bearer(w.a.tokens.admin);
    for (const c of children) niks.set(c.key, nikOf(VILLAGES[c.village]));

    const feb = children.filter((c) => c.feb).map((c) => ({ nik: niks.get(c.key)!, name: `Anak ${c.key} Prevalensi`, village: c.village, day: '2026-02-10', height: FEB[c.feb!] }));
    expect(await importFile(t, cm, await excelFile(feb), REGENCY_A.code, { name: 'ePPGBM Februari.csv' })).toMatchObject({ status: 'done', rowsRejected: 0, rowsTaken: feb.length });

    // August's, imported early in September (one child weighed twice: the 20th counts).
    await setClock('2026-09-05T03:00:00Z');
    const aug = children.flatMap((c) =>
      c.aug.map((kind, k) => ({ nik: niks.get(c.key)!, name: `Anak ${c.key} Prevalensi`, village: c.village, day: c.aug.length === 2 && k === 0 ? '2026-08-05' : '2026-08-20', height: AUG[kind] + (c.aug.length === 2 && k === 1 ? 0.5 : 0) })),
    );
    expect(await importFile(t, cm, await excelFile(aug), REGENCY_A.code, { name: 'ePPGBM Agustus.csv' })).toMatchObject({ status: 'done', rowsRejected: 0, rowsTaken: aug.length });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('readings posted one by one count too, the latest of the month winning', async () => {
    // Two children of the smallest village measured again on 25 August: one now stunted, one taller.
    const [a, b] = await t.sql<{ id: string }>(`SELECT id FROM subjects WHERE village_code = $1 ORDER BY name LIMIT 2`, [VILLAGES[4]]);
    await t.http().post(`/api/v1/subjects/${a.id}/measurements`).set(cm).send({ measuredAt: '2026-08-25', heightCm: 87.5, weightKg: 11.2, method: 'recumbent' }).expect(201);
    await t.http().post(`/api/v1/subjects/${b.id}/measurements`).set(cm).send({ measuredAt: '2026-08-26', heightCm: 88, weightKg: 11.3, method: 'recumbent' }).expect(201);
    const twice = await t.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT subject_id FROM measurements WHERE measured_on BETWEEN '2026-08-01' AND '2026-08-31' GROUP BY subject_id HAVING count(*) > 1) x`,
    );
    expect(twice[0].n).toBeGreaterThanOrEqual(6);
  });


  it("a child's later reading that keeps its band replaces the child-month without rewriting the village's or regency's counts", async () => {
    // Rewriting them would hold those two rows' locks to the end of the transaction, and queue
    // every other reading of the regency that month behind it.
    const [b] = await t.sql<{ id: string }>(`SELECT id FROM subjects WHERE village_code = $1 ORDER BY name LIMIT 1 OFFSET 1`, [VILLAGES[4]]);
    const month = () => t.sql<{ band: number; measurementId: string }>(`SELECT band, measurement_id AS "measurementId" FROM prevalence_child_months WHERE subject_id = $1 AND period = '2026-08'`, [b.id]);
    const counts = () =>
      t.sql<{ regionCode: string; xmin: string; measured: number }>(
        `SELECT region_code AS "regionCode", xmin::text AS xmin, measured FROM prevalence_counts WHERE period = '2026-08' AND region_code IN ($1, $2) ORDER BY 1`,
        [VILLAGES[4], REGENCY_A.code],
      );
    const [before] = await month();
    const countsBefore = await counts();
    expect(countsBefore).toHaveLength(2);
    const res = await t.http().post(`/api/v1/subjects/${b.id}/measurements`).set(cm).send({ measuredAt: '2026-08-27', heightCm: 88.1, weightKg: 11.3, method: 'recumbent' }).expect(201);
    const [after] = await month();
    expect(after).toEqual({ band: before.band, measurementId: res.body.id });
    expect(await counts()).toEqual(countsBefore);
  });
  it('answers per village, kecamatan and regency the counts of the stored rows, rates suppressed below 20 measured', async () => {
    const rows = await stored();
    for (const [level, digits] of [['desa', 10], ['kecamatan', 6], ['kabupaten', 4]] as const) {
      const res = await report(`level=${level}&code=${REGENCY_A.code}&from=2026-02&to=2026-08`).expect(200);
      expect(res.body).toMatchObject({ level, code: REGENCY_A.code, source: 'register', minMeasured: 20 });
      for (const period of ['2026-02', '2026-08']) {
        const expected = tally(rows, period, digits);
        const codes = level === 'desa' ? VILLAGES : level === 'kecamatan' ? ['321606', '321601'] : ['3216'];
        for (const code of codes) expectRow(figuresOf(res.body, code, period), expected.get(code));
        // Every row's counts are the stored rows' (villages without readings answer zeros).
        for (const item of res.body.items.filter((i: { period: string }) => i.period === period)) expectRow(item, expected.get(item.regionCode));
      }
      // One row per region and month, each labelled as the register.
      expect(new Set(res.body.items.map((i: { source: string }) => i.source))).toEqual(new Set(['register']));
    }
    const aug = tally(rows, '2026-08', 10);
    expect(aug.get(VILLAGES[0])!.measured).toBeGreaterThanOrEqual(20);
    expect(aug.get(VILLAGES[3])!.measured).toBeLessThan(20);
    const kec = await report(`level=kecamatan&code=${REGENCY_A.code}&from=2026-08&to=2026-08`).expect(200);
    // the kecamatan is the sum of its villages, not an average of their rates
    const sum = VILLAGES.slice(0, 3).reduce((s, v) => s + aug.get(v)!.measured, 0);
    expect(figuresOf(kec.body, '321606', '2026-08')).toMatchObject({ measured: sum });
    expect(figuresOf(kec.body, '321601', '2026-08')).toMatchObject({ suppressed: true, prevalence: null });
    // The province roll-up (a national admin) holds the regency's figure.
    const prov = await report(`level=kabupaten&code=32&from=2026-08&to=2026-08`, bearer(w.nationalToken)).expect(200);
    expectRow(figuresOf(prov.body, '3216', '2026-08'), tally(rows, '2026-08', 4).get('3216'));
    const national = await report(`level=provinsi&from=2026-08&to=2026-08`, bearer(w.nationalToken)).expect(200);
    expectRow(figuresOf(national.body, '32', '2026-08'), tally(rows, '2026-08', 2).get('32'));
  });

  it('gives coverage against the target population, and targets and survey figures as their own labelled series', async () => {
    await t.http().put(`/api/v1/target-populations/${REGENCY_A.code}/2026`).set(admin).send({ children0to59: 200 }).expect(200);
    await t.http().put(`/api/v1/prevalence-targets/${REGENCY_A.code}/2026`).set(admin).send({ value: 14, basis: 'rpjmd' }).expect(200);
    await t.http().put(`/api/v1/prevalence-targets/ID/2026`).set(bearer(w.nationalToken)).send({ value: 14, basis: 'perpres' }).expect(200);
    await t.http().put(`/api/v1/prevalence-targets/${REGENCY_B.code}/2026`).set(admin).send({ value: 14, basis: 'rpjmd' }).expect(404);
    await t.http().put(`/api/v1/prevalence-targets/${REGENCY_A.code}/2026`).set(cm).send({ value: 14, basis: 'rpjmd' }).expect(403);
    const bad = await t.http().put(`/api/v1/prevalence-targets/${REGENCY_A.code}/2026`).set(admin).send({ value: 140, basis: 'rencana' }).expect(400);
    expect(bad.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['basis', 'value']);
    const survey = await t.http().post('/api/v1/survey-figures').set(admin).send({ source: 'SSGI', year: 2024, regionCode: REGENCY_A.code, value: 21.5, ci: { low: 18.2, high: 24.8 }, note: 'SSGI 2024' }).expect(201);
    expect(survey.body).toMatchObject({ series: 'survey', source: 'SSGI', value: 21.5, ci: { low: 18.2, high: 24.8 } });
    await t.http().post('/api/v1/survey-figures').set(admin).send({ source: 'SSGI', year: 2024, regionCode: REGENCY_A.code, value: 20 }).expect(409);
    await t.http().post('/api/v1/survey-figures').set(admin).send({ source: 'SSGI', year: 2024, regionCode: REGENCY_B.code, value: 20 }).expect(404);

    const rows = await stored();
    const res = await report(`level=kabupaten&code=${REGENCY_A.code}&from=2026-08&to=2026-08`, bearer(w.a.tokens.viewer)).expect(200);
    const measured = tally(rows, '2026-08', 4).get('3216')!.measured;
    expect(figuresOf(res.body, '3216', '2026-08')).toMatchObject({ targetPopulation: 200, coverage: Math.round((measured / 200) * 10_000) / 100 });
    expect(res.body.targets).toEqual([expect.objectContaining({ regionCode: '3216', year: 2026, value: 14, basis: 'rpjmd', comparable: true })]);
    expect(res.body.surveys).toEqual([expect.objectContaining({ series: 'survey', source: 'SSGI', year: 2024, regionCode: '3216', value: 21.5 })]);
    // the national target is the nation's: not comparable with a regency, and not among a regency's series
    const nationTargets = await t.http().get('/api/v1/prevalence-targets/ID').set(bearer(w.nationalToken)).expect(200);
    expect(nationTargets.body.items).toEqual([expect.objectContaining({ regionCode: '', basis: 'perpres', comparable: true })]);
    const figures = await t.http().get('/api/v1/survey-figures').set(bearer(w.a.tokens.auditor)).expect(200);
    expect(figures.body.items.map((f: { regionCode: string }) => f.regionCode)).toEqual(['3216']);
    await t.http().get('/api/v1/survey-figures').set(bearer(w.b.tokens.viewer)).expect(200).expect((r) => expect(r.body.items).toEqual([]));
  });

  it('answers 404 to a viewer of another regency for a code of this one, and 400 for a bad query', async () => {
    const other = bearer(w.b.tokens.viewer);
    await report(`level=desa&code=${REGENCY_A.code}&from=2026-08&to=2026-08`, other).expect(404);
    await report(`level=desa&code=${VILLAGES[0]}&from=2026-08&to=2026-08`, other).expect(404);
    await t.http().get(`/api/v1/reports/hotspots?level=desa&period=2026-08&code=${REGENCY_A.code}`).set(other).expect(404);
    await t.http().get(`/api/v1/prevalence-targets/${REGENCY_A.code}`).set(other).expect(404);
    // their own report holds nothing of regency A
    const own = await report(`level=kabupaten&from=2026-08&to=2026-08`, other).expect(200);
    expect(own.body.items.map((i: { regionCode: string }) => i.regionCode)).toEqual([REGENCY_B.code]);
    const bad = await report(`level=kota&code=3216&from=2026-13&to=2026-08`).expect(400);
    expect(bad.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['from', 'level']);
    await report(`level=kabupaten&code=${VILLAGES[0]}&from=2026-08&to=2026-08`).expect(400);
    await report(`level=kabupaten&code=3216&from=2026-09&to=2026-08`).expect(400);
    await t.http().get(`/api/v1/reports/prevalence?level=desa&code=3216&from=2026-08&to=2026-08`).set(bearer(w.a.tokens.opd_liaison)).expect(403);
  });

  it('ranks villages by stunted children and rate, suppressed rates last, with the change since February', async () => {
    const rows = await stored();
    const now = tally(rows, '2026-08', 10);
    const before = tally(rows, '2026-02', 10);
    const res = await t.http().get(`/api/v1/reports/hotspots?level=desa&period=2026-08&code=${REGENCY_A.code}`).set(cm).expect(200);
    expect(res.body.comparedWith).toBe('2026-02');
    const expected = [...now.entries()]
      .map(([code, c]) => ({ code, ...c, rate: rate(c) }))
      .sort((a, b) => (a.rate === null) !== (b.rate === null) ? (a.rate === null ? 1 : -1) : b.stunted - a.stunted || (b.rate ?? 0) - (a.rate ?? 0) || (a.code < b.code ? -1 : 1));
    expect(res.body.items.map((i: { regionCode: string }) => i.regionCode)).toEqual(expected.map((e) => e.code));
    for (const item of res.body.items) {
      const b = before.get(item.regionCode) ?? { measured: 0, stunted: 0, severe: 0, excluded: 0 };
      expect(item.change).toMatchObject({ period: '2026-02', stunted: item.stunted - b.stunted });
    }
    const ranked = expected.filter((e) => e.rate !== null).length;
    expect(ranked).toBeGreaterThan(0);
    expect(res.body.items.findIndex((i: { suppressed: boolean }) => i.suppressed)).toBe(ranked);
    expect(res.body.items.map((i: { rank: number }) => i.rank)).toEqual(expected.map((_, k) => k + 1));
  });

  it('freezes August 30 days after it ends; a late import makes a revision and leaves the frozen figure unchanged', async () => {
    const beforeLate = await stored();
    await setClock('2026-10-02T03:00:00Z');
    const frozen = await report(`level=desa&code=${REGENCY_A.code}&from=2026-08&to=2026-08`).expect(200);
    const row = figuresOf(frozen.body, VILLAGES[0], '2026-08')!;
    expectRow(row, tally(beforeLate, '2026-08', 10).get(VILLAGES[0]));
    expect(row.snapshot).toMatchObject({ frozenAt: '2026-09-30T17:00:00.000Z', revised: false, latestRevision: 0, current: null });

    // Six more children of the first village measured in August, sent in October.
    await setClock('2026-10-10T03:00:00Z');
    const late = Array.from({ length: 6 }, (_, i) => ({ nik: nikOf(VILLAGES[0]), name: `Anak telat ${i} Prevalensi`, village: 0, day: '2026-08-28', height: i < 4 ? AUG.stunted : AUG.normal }));
    expect(await importFile(t, cm, await excelFile(late), REGENCY_A.code, { name: 'ePPGBM Agustus susulan.csv' })).toMatchObject({ status: 'done', rowsTaken: 6 });

    const rows = await stored();
    const after = await report(`level=desa&code=${REGENCY_A.code}&from=2026-08&to=2026-08`).expect(200);
    const revised = figuresOf(after.body, VILLAGES[0], '2026-08')!;
    // The frozen figure as it was: the counts of the rows written by the freeze instant.
    expectRow(revised, tally(rows, '2026-08', 10, new Date('2026-09-30T17:00:00.000Z')).get(VILLAGES[0]));
    expect({ ...revised, snapshot: undefined }).toEqual({ ...row, snapshot: undefined });
    const now = tally(rows, '2026-08', 10).get(VILLAGES[0])!;
    expect(revised.snapshot).toMatchObject({ revised: true, latestRevision: 1, current: { measured: now.measured, stunted: now.stunted, prevalence: rate(now) } });
    expect(now.measured).toBe((row.measured as number) + 6);
    const snaps = await t.sql<{ revision: number; measured: number; revisionOf: string | null }>(
      `SELECT revision, measured, revision_of AS "revisionOf" FROM prevalence_snapshots WHERE digits = 10 AND region_code = $1 AND period = '2026-08' ORDER BY revision`,
      [VILLAGES[0]],
    );
    expect(snaps).toEqual([
      { revision: 0, measured: row.measured, revisionOf: null },
      { revision: 1, measured: now.measured, revisionOf: expect.any(String) },
    ]);
    // Read again: no further revision; the regency's frozen figure is unchanged too.
    await report(`level=desa&code=${REGENCY_A.code}&from=2026-08&to=2026-08`).expect(200);
    const kab = await report(`level=kabupaten&code=${REGENCY_A.code}&from=2026-08&to=2026-08`).expect(200);
    expectRow(figuresOf(kab.body, '3216', '2026-08'), tally(rows, '2026-08', 4, new Date('2026-09-30T17:00:00.000Z')).get('3216'));
    expect(figuresOf(kab.body, '3216', '2026-08')!.snapshot).toMatchObject({ revised: true, latestRevision: 1 });
    expect(await t.sql(`SELECT 1 FROM prevalence_snapshots WHERE region_code = $1 AND revision = 2`, [VILLAGES[0]])).toEqual([]);
  });
});
