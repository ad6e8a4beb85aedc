import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { getVillages } from 'idn-area-data';
import { createTestApp, login, type TestApp } from '../support/test-app.js';
import { bearer, buildWorld, createUser, REGENCY_A, REGENCY_B, type World } from '../support/world.js';

/**
 * Issue 19 part 3 (Master Ansit) and the XLSX export of part 4: families and their KRS
 * assessments through the families routes, children's readings through the measurement route;
 * every engine figure is checked against counts computed here from the stored rows.
 */
const V1 = REGENCY_A.village; // Setiadarma, Tambun Selatan
const V2 = '3216062002'; // Lambangsari, Tambun Selatan
const V3 = '3216012001'; // a village of another kecamatan
const NO_FACTORS = { airTidakLayak: false, jambanTidakLayak: false, terlaluMuda: false, terlaluTua: false, terlaluDekat: false, terlaluBanyak: false, nonKbModern: false };
const AT_RISK = { ...NO_FACTORS, jambanTidakLayak: true };

/** supertest's parser for a binary body: the raw bytes (its Response is the HTTP stream in Node). */
const binary = (res: unknown, done: (err: Error | null, body: Buffer) => void) => {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('Master Ansit: indicators per village, engine pre-fill, completeness, the XLSX sheet', () => {
  let t: TestApp;
  let w: World;
  let cm: Record<string, string>;
  let dinkes: Record<string, string>; // the world's liaison of regency A (DINKES)
  let dp2kb: Record<string, string>;
  let regencyVillages: string[];
  let kk = 0;

  const child = async (village: string, name: string) =>
    (await t.http().post('/api/v1/subjects').set(cm).send({ targetGroup: 'BALITA', name, sex: 'M', birthDate: '2024-08-01', villageCode: village }).expect(201)).body.id as string;
  const measure = (id: string, measuredAt: string, heightCm: number) =>
    t.http().post(`/api/v1/subjects/${id}/measurements`).set(cm).send({ measuredAt, heightCm, weightKg: 11, method: 'standing' }).expect(201);
  const family = async (village: string, childId?: string) => {
    kk += 1;
    const res = await t
      .http()
      .post('/api/v1/families')
      .set(cm)
      .send({ familyCardNumber: `${village.slice(0, 6)}99${String(kk).padStart(8, '0')}`, headName: `Kepala ${kk}`, villageCode: village, ...(childId ? { members: [{ relation: 'ANAK', subjectId: childId }] } : {}) })
      .expect(201);
    return res.body.id as string;
  };
  const assess = (id: string, round: number, factors: typeof NO_FACTORS) =>
    t.http().post(`/api/v1/families/${id}/assessments`).set(cm).send({ year: 2026, round, referenceDate: round === 1 ? '2026-05-15' : '2026-10-15', factors }).expect(201);
  const village = (token: Record<string, string>, code = V1) => t.http().get(`/api/v1/ansit/2026/${code}`).set(token);
  const valueOf = (body: { values: { indicatorCode: string }[] }, code: string) => body.values.find((v) => v.indicatorCode === code) as Record<string, unknown>;

  beforeAll(async () => {
    t = await createTestApp({ LOGIN_RATE_LIMIT: '1000' });
    w = await buildWorld(t);
    cm = bearer(w.a.tokens.case_manager);
    dinkes = bearer(w.a.tokens.opd_liaison);
    const opd = await t.http().post('/api/v1/opds').set(bearer(w.nationalToken)).send({ regencyCode: REGENCY_A.code, code: 'DP2KB', name: 'DP2KB Bekasi' }).expect(201);
    const u = await createUser(t, w.nationalToken, { username: 'liaison.dp2kb', role: 'opd_liaison', regencyCode: REGENCY_A.code, opdId: opd.body.id });
    dp2kb = bearer(await login(t, 'liaison.dp2kb', u.password));
    regencyVillages = (await getVillages()).filter((v) => v.code.startsWith('32.16.')).map((v) => v.code.replaceAll('.', ''));

    // Children: one reading each, one with a later reading that changes its class, one implausible only.
    const heights: [string, [string, number][]][] = [
      [V1, [['2026-08-10', 87]]],
      [V1, [['2026-08-10', 79.5]]],
      [V1, [['2026-08-10', 75]]],
      [V1, [['2026-08-10', 79.5], ['2026-10-12', 91]]],
      [V1, [['2026-08-10', 62]]],
      [V2, [['2026-08-11', 75]]],
      [V2, [['2026-02-11', 82], ['2026-08-11', 79.5]]],
      [V3, [['2026-08-12', 87]]],
    ];
    const ids: string[] = [];
    for (const [i, [v, readings]] of heights.entries()) {
      const id = await child(v, `Anak Ansit ${i}`);
      for (const [day, h] of readings) await measure(id, day, h);
      ids.push(id);
    }
    // Families: at risk, at risk then not (round 2 wins), not a target family, at risk in V2.
    await assess(await family(V1, ids[0]), 2, AT_RISK);
    const f2 = await family(V1, ids[1]);
    await assess(f2, 1, AT_RISK);
    await assess(f2, 2, NO_FACTORS);
    await assess(await family(V1), 2, AT_RISK);
    await family(V1);
    await assess(await family(V2, ids[5]), 1, AT_RISK);
  }, 300_000);

  afterAll(async () => {
    await t?.close();
  });

  it('seeds the Data Sasaran sheet, and a regency admin adds its own indicator beside it (to_complete)', async () => {
    const list = await t.http().get('/api/v1/ansit/indicators').set(dinkes).expect(200);
    expect(list.body.items.map((i: { code: string }) => i.code)).toEqual(['DS_KELUARGA', 'DS_KRS', 'DS_ANAK_DIUKUR', 'DS_PENDEK', 'DS_SANGAT_PENDEK']);
    expect(list.body.items[1]).toMatchObject({ kind: 'sasaran', sheet: 'Data Sasaran', ownerOpdCode: 'DP2KB', computedBy: 'krs_families', status: 'known', regencyCode: null });
    const body = { code: 'ES_IMUNISASI', name: 'Persentase anak 12-23 bulan imunisasi dasar lengkap', kind: 'esensial', sheet: 'Kesehatan', unit: '%', numerator: 'anak 12-23 bulan dengan IDL', denominator: 'anak 12-23 bulan', ownerOpdCode: 'DINKES' };
    const added = await t.http().post('/api/v1/ansit/indicators').set(bearer(w.a.tokens.admin)).send(body).expect(201);
    expect(added.body).toMatchObject({ code: 'ES_IMUNISASI', regencyCode: '3216', status: 'to_complete', computedBy: null });
    await t.http().post('/api/v1/ansit/indicators').set(bearer(w.a.tokens.admin)).send(body).expect(409);
    await t.http().post('/api/v1/ansit/indicators').set(bearer(w.a.tokens.admin)).send({ ...body, code: 'DS_KRS' }).expect(409);
    const bad = await t.http().post('/api/v1/ansit/indicators').set(bearer(w.a.tokens.admin)).send({ ...body, code: 'ES_X', kind: 'wajib', ownerOpdCode: 'NOPE' }).expect(400);
    expect(bad.body.details.fields).toEqual([{ field: 'kind', reason: 'must be one of sasaran, esensial, supply' }]);
    const noOpd = await t.http().post('/api/v1/ansit/indicators').set(bearer(w.a.tokens.admin)).send({ ...body, code: 'ES_X', ownerOpdCode: 'NOPE' }).expect(400);
    expect(noOpd.body.details.fields).toEqual([{ field: 'ownerOpdCode', reason: 'is not an OPD code of regency 3216' }]);
    await t.http().post('/api/v1/ansit/indicators').set(cm).send({ ...body, code: 'ES_Y' }).expect(403);
    // Regency B sees the national catalogue only; A's own indicator stays A's.
    const b = await t.http().get('/api/v1/ansit/indicators').set(bearer(w.b.tokens.viewer)).expect(200);
    expect(b.body.items.map((i: { code: string }) => i.code)).not.toContain('ES_IMUNISASI');
    await t.http().get('/api/v1/ansit/indicators?regencyCode=3216').set(bearer(w.b.tokens.viewer)).expect(404);
  });

  it("pre-fills the engine's figures, equal to counts computed from the stored rows", async () => {
    const families = await t.sql<{ village_code: string; n: number }>(`SELECT village_code, count(*)::int AS n FROM families WHERE regency_code = '3216' GROUP BY 1`);
    const assessments = await t.sql<{ family_id: string; village_code: string; round: number; reference_date: string; created_at: Date; is_krs: boolean }>(
      `SELECT family_id, village_code, round, reference_date::text, created_at, is_krs FROM krs_assessments WHERE regency_code = '3216' AND year = 2026`,
    );
    const latest = new Map<string, (typeof assessments)[number]>();
    for (const a of assessments) {
      const l = latest.get(a.family_id);
      if (!l || [a.round, a.reference_date, +a.created_at] > [l.round, l.reference_date, +l.created_at]) latest.set(a.family_id, a);
    }
    const readings = await t.sql<{ subject_id: string; village_code: string; measured_on: string; created_at: Date; haz: number | null; method: string | null; flags: string[] }>(
      `SELECT m.subject_id, s.village_code, m.measured_on::text, m.created_at, m.haz, m.method, m.flags FROM measurements m JOIN subjects s ON s.id = m.subject_id
        WHERE s.regency_code = '3216' AND s.target_group IN ('BALITA', 'BADUTA') AND m.measured_on BETWEEN '2026-01-01' AND '2026-12-31'
          AND m.length_height_cm IS NOT NULL AND m.age_days <= 1826`,
    );
    const lastReading = new Map<string, (typeof readings)[number]>();
    for (const r of readings) {
      if (r.haz === null || Math.abs(r.haz) > 6 || r.method === null || r.flags.includes('height_drop')) continue;
      const l = lastReading.get(r.subject_id);
      if (!l || r.measured_on > l.measured_on || (r.measured_on === l.measured_on && +r.created_at > +l.created_at)) lastReading.set(r.subject_id, r);
    }
    const expected = (v: string) => {
      const kids = [...lastReading.values()].filter((r) => r.village_code === v);
      return {
        DS_KELUARGA: families.find((f) => f.village_code === v)?.n ?? 0,
        DS_KRS: [...latest.values()].filter((a) => a.village_code === v && a.is_krs).length,
        DS_ANAK_DIUKUR: kids.length,
        DS_PENDEK: kids.filter((k) => k.haz! < -2 && k.haz! >= -3).length,
        DS_SANGAT_PENDEK: kids.filter((k) => k.haz! < -3).length,
      };
    };
    // The seed is not degenerate: the later reading and round win, the implausible child is left out.
    expect(expected(V1)).toEqual({ DS_KELUARGA: 4, DS_KRS: 1, DS_ANAK_DIUKUR: 4, DS_PENDEK: 1, DS_SANGAT_PENDEK: 1 });
    for (const v of [V1, V2, V3, '3216012002']) {
      const res = await village(cm, v).expect(200);
      const got = Object.fromEntries(Object.keys(expected(v)).map((k) => [k, valueOf(res.body, k).value]));
      expect(got).toEqual(expected(v));
      expect(valueOf(res.body, 'DS_KRS')).toMatchObject({ provenance: 'engine', prefilled: true, enteredBy: null });
    }
    expect(valueOf((await village(cm).expect(200)).body, 'ES_IMUNISASI')).toMatchObject({ value: null, provenance: null, prefilled: false });
  });

  it("lets a liaison enter their own OPD's indicators only (403 naming another OPD's), a case manager any", async () => {
    const denied = await t.http().put(`/api/v1/ansit/2026/${V1}`).set(dinkes).send({ values: [{ indicatorCode: 'ES_IMUNISASI', value: 80 }, { indicatorCode: 'DS_KRS', value: 9 }] }).expect(403);
    expect(denied.body.message).toContain('DS_KRS belongs to DP2KB');
    expect(await t.sql(`SELECT 1 FROM ansit_values`)).toEqual([]);

    const ok = await t.http().put(`/api/v1/ansit/2026/${V1}`).set(dinkes).send({ values: [{ indicatorCode: 'ES_IMUNISASI', value: 81.5, note: 'laporan puskesmas' }] }).expect(200);
    expect(valueOf(ok.body, 'ES_IMUNISASI')).toMatchObject({ value: 81.5, provenance: 'manual', note: 'laporan puskesmas', prefilled: false, enteredBy: { userId: w.a.userIds.opd_liaison } });
    // An engine indicator entered by hand is kept as manual; the engine's figure stays beside it.
    const krs = await t.http().put(`/api/v1/ansit/2026/${V1}`).set(dp2kb).send({ values: [{ indicatorCode: 'DS_KRS', value: 3, note: 'verval' }] }).expect(200);
    expect(valueOf(krs.body, 'DS_KRS')).toMatchObject({ value: 3, provenance: 'manual', engineValue: 1, prefilled: false });
    // The case manager may enter any; null clears a cell (the engine's figure no longer fills it).
    await t.http().put(`/api/v1/ansit/2026/${V2}`).set(cm).send({ values: [{ indicatorCode: 'DS_KELUARGA', value: null }] }).expect(200);
    expect(valueOf((await village(dinkes, V2).expect(200)).body, 'DS_KELUARGA')).toMatchObject({ value: null, provenance: 'manual', engineValue: 1 });

    await t.http().put(`/api/v1/ansit/2026/${REGENCY_B.village}`).set(dinkes).send({ values: [{ indicatorCode: 'ES_IMUNISASI', value: 1 }] }).expect(404);
    await t.http().put('/api/v1/ansit/2026/3216062999').set(cm).send({ values: [{ indicatorCode: 'DS_KRS', value: 1 }] }).expect(404);
    await t.http().get(`/api/v1/ansit/2026/${V1}`).set(bearer(w.b.tokens.case_manager)).expect(404);
    await t.http().put(`/api/v1/ansit/2026/${V1}`).set(bearer(w.a.tokens.viewer)).send({ values: [{ indicatorCode: 'DS_KRS', value: 1 }] }).expect(403);
  });

  it('refuses bad input with the field and the reason, and writes nothing', async () => {
    const before = await t.sql(`SELECT * FROM ansit_values ORDER BY village_code, indicator_code`);
    const unknown = await t
      .http()
      .put(`/api/v1/ansit/2026/${V3}`)
      .set(cm)
      .set('Accept-Language', 'id')
      .send({ values: [{ indicatorCode: 'DS_KRS', value: 1 }, { indicatorCode: 'ES_TIDAK_ADA', value: 2 }] })
      .expect(400);
    expect(unknown.body.details.fields).toEqual([{ field: 'values.1.indicatorCode', reason: 'bukan indikator kabupaten/kota 3216' }]);
    const typed = await t.http().put(`/api/v1/ansit/2026/${V3}`).set(cm).send({ values: [{ indicatorCode: 'DS_KRS', value: 'dua' }, { indicatorCode: 'ds', value: -1 }] }).expect(400);
    expect(typed.body.details.fields).toEqual([
      { field: 'values.0.value', reason: 'must be a number or null' },
      { field: 'values.1.indicatorCode', reason: 'must be 2 to 40 upper-case letters, digits or _' },
      { field: 'values.1.value', reason: 'must be at least 0' },
    ]);
    const twice = await t.http().put(`/api/v1/ansit/2026/${V3}`).set(cm).send({ values: [{ indicatorCode: 'DS_KRS', value: 1 }, { indicatorCode: 'DS_KRS', value: 2 }] }).expect(400);
    expect(twice.body.details.fields).toEqual([{ field: 'values.1.indicatorCode', reason: 'is listed twice' }]);
    const year = await t.http().put(`/api/v1/ansit/2030/${V3}`).set(cm).send({ values: [{ indicatorCode: 'DS_KRS', value: 1 }] }).expect(400);
    expect(year.body.details.fields).toEqual([{ field: 'year', reason: 'must be at most 2027' }]);
    await t.http().put(`/api/v1/ansit/2026/${V3}`).set(cm).send({ values: [] }).expect(400);
    expect(await t.sql(`SELECT * FROM ansit_values ORDER BY village_code, indicator_code`)).toEqual(before);
  });

  it('counts completeness over every village of the regency; an indicator a village lacks is not done', async () => {
    const res = await t.http().get('/api/v1/ansit/2026/completeness').set(bearer(w.a.tokens.viewer)).expect(200);
    const n = regencyVillages.length;
    // Engine indicators fill every village (the sources have data this year) but DS_KELUARGA, cleared in V2; ES_IMUNISASI is in V1 only.
    expect(res.body).toMatchObject({ regencyCode: '3216', year: 2026, villages: n, indicators: 6, cells: 6 * n, filled: 5 * n - 1 + 1, indicatorsDone: 4 });
    const by = Object.fromEntries(res.body.byIndicator.map((i: { code: string; villagesFilled: number; done: boolean }) => [i.code, [i.villagesFilled, i.done]]));
    expect(by).toEqual({ DS_KELUARGA: [n - 1, false], DS_KRS: [n, true], DS_ANAK_DIUKUR: [n, true], DS_PENDEK: [n, true], DS_SANGAT_PENDEK: [n, true], ES_IMUNISASI: [1, false] });
    const tambunSelatan = res.body.byKecamatan.find((d: { districtCode: string }) => d.districtCode === '321606');
    const inKec = regencyVillages.filter((v) => v.startsWith('321606')).length;
    expect(tambunSelatan).toMatchObject({ villages: inKec, cells: 6 * inKec, filled: 5 * inKec - 1 + 1 });
    expect(res.body.byKecamatan.reduce((s: number, d: { villages: number }) => s + d.villages, 0)).toBe(n);
    // Another regency's completeness is not found; a national user must name the regency.
    await t.http().get('/api/v1/ansit/2026/completeness?regencyCode=3216').set(bearer(w.b.tokens.viewer)).expect(404);
    await t.http().get('/api/v1/ansit/2026/completeness').set(bearer(w.nationalToken)).expect(400);
  });

  it('exports the sheet a district uploads: one row per village, the values shown by the grid', async () => {
    const res = await t.http().get('/api/v1/ansit/2026/export.xlsx').set(dinkes).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    const body = res.body as Buffer;
    await wb.xlsx.load(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer);
    const ws = wb.worksheets[0];
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(['Kode Kecamatan', 'Kecamatan', 'Kode Desa', 'Desa/Kelurahan', 'DS_KELUARGA', 'DS_KRS', 'DS_ANAK_DIUKUR', 'DS_PENDEK', 'DS_SANGAT_PENDEK', 'ES_IMUNISASI']);
    const rows = new Map<string, unknown[]>();
    for (let r = 2; r <= ws.rowCount; r++) {
      const values = (ws.getRow(r).values as unknown[]).slice(1);
      rows.set(String(values[2]), values);
    }
    expect(ws.rowCount - 1).toBe(regencyVillages.length);
    expect([...rows.keys()].sort()).toEqual([...regencyVillages].sort());
    for (const v of [V1, V2, V3]) {
      const grid = (await village(cm, v).expect(200)).body;
      const expected = header.slice(4).map((code) => valueOf(grid, String(code)).value ?? undefined);
      expect(header.slice(4).map((_, k) => rows.get(v)![4 + k])).toEqual(expected); // exceljs leaves an empty cell undefined
    }
    expect(rows.get(V1)!.slice(0, 4)).toEqual(['321606', 'Tambun Selatan', V1, 'Setiadarma']);
    await t.http().get('/api/v1/ansit/2026/export.xlsx?regencyCode=3216').set(bearer(w.b.tokens.case_manager)).expect(404);
  });
});
