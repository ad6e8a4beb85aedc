import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { checkEveryCaseReplays } from '../support/cases.js';
import { eppgbmFile, excelCsvFile, importFile, xlsxFile } from '../support/imports.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { bearer, buildWorld, type World } from '../support/world.js';

// CI also runs this file with IMPORT_TEST_ROWS=100000 on both databases: that many rows of what
// Excel saves from an e-PPGBM export, plus a workbook of 10,000.
const ROWS = Number(process.env.IMPORT_TEST_ROWS ?? 3000);
const XLSX_ROWS = Math.min(ROWS, 10_000);
const TIMEOUT = Math.max(60_000, ROWS * 10);

type Generated = { file: Buffer; faults: Map<number, string>; name: string; rows: number };
const FORMATS: [string, () => Promise<Generated>][] = [
  ['Excel-saved CSV (;, decimal commas, BOM, CRLF, village names)', async () => {
    const g = await excelCsvFile(ROWS);
    return { file: g.csv, faults: g.faults, name: 'ePPGBM Agustus.csv', rows: ROWS };
  }],
  ['workbook (.xlsx)', async () => {
    const g = await xlsxFile(XLSX_ROWS, 11);
    return { file: g.xlsx, faults: g.faults, name: 'ePPGBM Agustus.xlsx', rows: XLSX_ROWS };
  }],
  ['comma CSV with village codes', async () => {
    const rows = Math.min(ROWS, 3000);
    const g = await eppgbmFile(rows, 5);
    return { file: g.csv, faults: g.faults, name: 'eppgbm.csv', rows };
  }],
];

describe.each(FORMATS)('e-PPGBM import: %s', (_label, make) => {
  let t: TestApp;
  let w: World;
  let cm: Record<string, string>;

  beforeAll(async () => {
    t = await createTestApp({ JWT_TTL_SECONDS: String(30 * 24 * 3600) });
    w = await buildWorld(t);
    cm = bearer(w.a.tokens.case_manager);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('stores every good row, reports every bad one with its field, opens one case per stunted child; a re-import adds nothing', async () => {
    const { file, faults, name, rows } = await make();
    const subjectsBefore = (await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM subjects'))[0].n;
    const done = await importFile(t, cm, file, '3216', { name });
    expect(done).toMatchObject({ status: 'done', rowsRead: rows, rowsRejected: faults.size, rowsTaken: rows - faults.size, rowsDuplicate: 0 });
    const report = await t.http().get(`/api/v1/imports/${done.id}/rejections.csv`).set(cm).expect(200);
    expect(report.headers['content-type']).toContain('text/csv');
    const rejected = new Map<number, string[]>();
    for (const line of report.text.trim().split('\n').slice(1)) {
      const [row, field] = line.split(',');
      rejected.set(Number(row), [...(rejected.get(Number(row)) ?? []), field.replaceAll('"', '')]);
    }
    expect([...rejected.keys()].sort((a, b) => a - b)).toEqual([...faults.keys()].sort((a, b) => a - b));
    for (const [row, field] of faults) expect([row, rejected.get(row)]).toEqual([row, expect.arrayContaining([field])]);

    const [{ n: measurements }] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM measurements WHERE source = 'eppgbm'`);
    expect(measurements).toBe(rows - faults.size);
    const [{ n: stunted }] = await t.sql<{ n: number }>(
      `SELECT count(DISTINCT subject_id)::int AS n FROM measurements WHERE source = 'eppgbm' AND haz < -2 AND NOT needs_remeasurement`,
    );
    const [{ n: cases }] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM cases WHERE source = 'eppgbm'`);
    expect(stunted).toBeGreaterThan(rows * 0.03);
    expect(cases).toBe(stunted);
    expect(done.casesOpened).toBe(cases);
    // Every reading of a child with a case belongs to it once the case is open.
    expect(await t.sql(`SELECT count(*)::int AS n FROM measurements m JOIN cases c ON c.subject_id = m.subject_id
                          WHERE m.case_id IS NULL AND m.measured_on >= (c.snapshot->'context'->>'identifiedAt')::timestamptz::date`)).toEqual([{ n: 0 }]);

    // Identifiers written in bulk are readable and findable like any other.
    const [{ id: someId }] = await t.sql<{ id: string }>(`SELECT id FROM subjects WHERE nik_hash IS NOT NULL LIMIT 1`);
    const one = await t.http().get(`/api/v1/subjects/${someId}`).set(cm).set('X-Purpose', 'cek impor').expect(200);
    expect(one.body.nik).toMatch(/^\d{4}\*{8}\d{4}$/);

    t.clock.advance(60_000); // a minute later
    const again = await importFile(t, cm, file, '3216', { name });
    expect(again).toMatchObject({ status: 'done', rowsTaken: 0, rowsDuplicate: rows - faults.size, casesOpened: 0 });
    expect(await t.sql(`SELECT count(*)::int AS n FROM measurements WHERE source = 'eppgbm'`)).toEqual([{ n: measurements }]);
    expect(await t.sql(`SELECT count(*)::int AS n FROM cases WHERE source = 'eppgbm'`)).toEqual([{ n: cases }]);
    const subjectsAfter = (await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM subjects'))[0].n;
    expect(subjectsAfter - subjectsBefore).toBeLessThan(rows);
    expect(await checkEveryCaseReplays(t)).toBe(cases);

    // Both imports are listed, newest first.
    const list = await t.http().get('/api/v1/imports').set(cm).expect(200);
    expect(list.body.items.slice(0, 2).map((i: { id: string }) => i.id)).toEqual([again.id, done.id]);
    expect(list.body.items[0]).toMatchObject({ fileName: name, format: name.endsWith('.xlsx') ? 'xlsx' : 'csv', status: 'done' });
    expect(list.body.items[0].rejections).toBeUndefined();
    await t.http().get('/api/v1/imports').set(bearer(w.b.tokens.case_manager)).expect(200).expect((r) => expect(r.body.items).toEqual([]));
  }, TIMEOUT);
});

describe('e-PPGBM import: what districts really send', () => {
  let t: TestApp;
  let w: World;
  let cm: Record<string, string>;
  const up = (csv: string, opts: Parameters<typeof importFile>[4] = {}) => importFile(t, cm, Buffer.from(csv), '3216', opts);

  beforeAll(async () => {
    t = await createTestApp({ JWT_TTL_SECONDS: String(30 * 24 * 3600), IMPORT_MAX_BYTES: String(200 * 1024), IMPORT_MAX_REJECTIONS: '150' });
    w = await buildWorld(t);
    cm = bearer(w.a.tokens.case_manager);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('takes a reading repeated within a file once and counts the repeat as a duplicate, with or without a NIK', async () => {
    const { csv, faults } = await eppgbmFile(200, 23);
    const lines = csv.toString().trim().split('\n');
    const good = lines.filter((l, i) => i > 0 && !faults.has(i + 1));
    const withNik = good.find((l) => /^\d{16},/.test(l))!;
    const withoutNik = good.find((l) => l.startsWith(','))!;
    const done = await importFile(t, cm, Buffer.from(`${[lines[0], withNik, withoutNik, withNik, withoutNik].join('\n')}\n`));
    expect(done).toMatchObject({ status: 'done', rowsRead: 4, rowsTaken: 2, rowsDuplicate: 2, rowsRejected: 0 });
  });

  it('reads one delimiter per file: in a ; file, decimal commas and addresses with commas are plain values', async () => {
    const done = await up(
      '\ufeffNama Anak;JK;Tgl Lahir;Alamat;Kode Desa;Tanggal Pengukuran;Berat;Tinggi;Cara Ukur\r\n' +
        'Rina Ayu;P;05/02/2025;Jl. Kenanga 3, RT 01/RW 02;32.16.06.2005;10/11/2026;8,35;71,2;terlentang\r\n' +
        ';;;;;;;;\r\n\r\n' +
        'Bayu Aji;L;01/06/2023;"Gg. Mawar; No. 7";3216062005;10/11/2026;12,1;88,4;BERDIRI\r\n',
    );
    expect(done).toMatchObject({ status: 'done', rowsRead: 2, rowsTaken: 2, rowsRejected: 0 });
    const stored = await t.sql<{ weight_kg: number; height_cm: number; method: string }>(
      `SELECT weight_kg, height_cm, method FROM measurements WHERE measured_on = '2026-11-10' ORDER BY weight_kg`,
    );
    expect(stored).toEqual([{ weight_kg: 8.35, height_cm: 71.2, method: 'recumbent' }, { weight_kg: 12.1, height_cm: 88.4, method: 'standing' }]);
  });

  it('understands real export headers; with a code and a name the code wins and the name must fit it', async () => {
    const done = await up(
      'NIK Anak;No. KK;Nama Anak;JK;Tgl Lahir;Nama Ortu;Prov;Kab/Kota;Kec;Puskesmas;Kode Desa;Desa/Kel;Posyandu;Tanggal Penimbangan;' +
        'Berat Badan (kg);Tinggi Badan (cm);Cara Ukur;LILA (cm);Lingkar Kepala;BB/U;ZS BB/U;TB/U;ZS TB/U\n' +
        ';;Dewi Sartika;P;01/01/2025;Ibu Sri;JAWA BARAT;KAB. BEKASI;Tambun Selatan;Puskesmas Tambun;3216062005;Setiadarma;Melati 1;' +
        '02/11/2026;8,9;73,0;Terlentang;13,5;45,2;Normal;-0,5;Normal;-0,8\n' +
        ';;Eka Putra;L;01/01/2025;Ibu Ani;JAWA BARAT;Kabupaten Bekasi;Tambun Selatan;Puskesmas Tambun;3216062005;Sukamaju;Melati 1;' +
        '02/11/2026;8,9;73,0;Terlentang;;;;;;\n' +
        ';;Fajar Nur;L;01/01/2025;Ibu Ani;JAWA BARAT;KOTA BEKASI;Tambun Selatan;Puskesmas Tambun;3216062005;Setiadarma;Melati 1;' +
        '02/11/2026;8,9;73,0;Terlentang;;;;;;\n',
    );
    expect(done).toMatchObject({ status: 'done', rowsRead: 3, rowsTaken: 1, rowsRejected: 2 });
    expect(done.rejections).toEqual([
      { row: 3, field: 'villageName', reason: '"Sukamaju" is not the name of village 3216062005 (Setiadarma)' },
      { row: 4, field: 'regencyName', reason: '"KOTA BEKASI" is not Kabupaten Bekasi, the regency of this import' },
    ]);
    const [m] = await t.sql<{ muac_cm: number; head_cm: number }>(`SELECT muac_cm, head_cm FROM measurements WHERE measured_on = '2026-11-02'`);
    expect(m).toEqual({ muac_cm: 13.5, head_cm: 45.2 });
  });

  it('resolves village names within the regency, tolerant of case, spacing and prefixes; refuses a name it cannot place, naming candidates', async () => {
    const done = await up(
      'Nama Anak;JK;Tgl Lahir;Kec;Desa/Kel;Tanggal Pengukuran;Berat;Tinggi;Cara Ukur\n' +
        'Anak Satu;L;01/01/2025;Tambun Selatan;DESA  SETIA DARMA;03/11/2026;9;74;Terlentang\n' +
        'Anak Dua;P;01/01/2025;;kel. setiadarma;03/11/2026;9;74;Terlentang\n' +
        'Anak Tiga;P;01/01/2025;Tambun Selatan;Setiadharma;03/11/2026;9;74;Terlentang\n' +
        'Anak Empat;P;01/01/2025;Cibitung;Setiadarma;03/11/2026;9;74;Terlentang\n',
    );
    expect(done).toMatchObject({ status: 'done', rowsRead: 4, rowsTaken: 2, rowsRejected: 2 });
    expect(done.rejections[0]).toMatchObject({ row: 4, field: 'villageName', reason: expect.stringContaining('did you mean Setiadarma (Kec. Tambun Selatan, 3216062005)') });
    expect(done.rejections[1]).toMatchObject({ row: 5, field: 'villageName', reason: expect.stringContaining('no village "Setiadarma" in Kec. Cibitung') });
    const villages = await t.sql<{ village_code: string }>(`SELECT DISTINCT village_code FROM subjects WHERE name IN ('Anak Satu', 'Anak Dua')`);
    expect(villages).toEqual([{ village_code: '3216062005' }]);
  });

  it('reads a posyandu register: one row per child, a block per month, the village from the upload form', async () => {
    const register =
      'NO;NIK;NAMA ANAK;TANGGAL LAHIR;JENIS KELAMIN;AGUSTUS 2026;;;;;SEPTEMBER 2026;;;;;OKTOBER 2026;;;;\n' +
      ';;;;;TGL UKUR;UMUR;BERAT;TINGGI;CARA UKUR;TGL UKUR;UMUR;BERAT;TINGGI;CARA UKUR;TGL UKUR;UMUR;BERAT;TINGGI;CARA UKUR\n' +
      '1;;Gilang Ramadhan;12/01/2025;L;14/08/2026;19;9,1;76,0;Terlentang;11/09/2026;20;9,3;77,1;Terlentang;;;;;\n' +
      '2;;Hana Salsabila;03/03/2024;P;14/08/2026;29;10,2;84,5;Berdiri;;;;;;09/10/2026;31;10,6;86,0;berdiri\n' +
      '3;;Intan Permata;05/05/2024;P;;;;;;;;;;;;;;;\n';
    const missing = await up(register);
    expect(missing).toMatchObject({ status: 'failed', error: expect.stringContaining('the village') });
    const done = await up(register, { fields: { villageCode: '32.16.06.2005', posyandu: 'Posyandu Mawar' } });
    expect(done).toMatchObject({ status: 'done', rowsRead: 4, rowsTaken: 4, rowsRejected: 0 });
    const rows = await t.sql<{ name: string; day: string; posyandu: string; village_code: string }>(
      `SELECT s.name, m.measured_on::text AS day, s.posyandu, s.village_code FROM measurements m JOIN subjects s ON s.id = m.subject_id
        WHERE s.name IN ('Gilang Ramadhan', 'Hana Salsabila') ORDER BY s.name, m.measured_on`,
    );
    expect(rows.map((r) => [r.name, r.day])).toEqual([
      ['Gilang Ramadhan', '2026-08-14'], ['Gilang Ramadhan', '2026-09-11'], ['Hana Salsabila', '2026-08-14'], ['Hana Salsabila', '2026-10-09'],
    ]);
    expect(new Set(rows.map((r) => `${r.village_code} ${r.posyandu}`))).toEqual(new Set(['3216062005 Posyandu Mawar']));
    const wrongVillage = await t.http().post('/api/v1/imports/eppgbm').set(cm).field('regencyCode', '3216').field('villageCode', '3273011001').attach('file', Buffer.from(register), 'r.csv');
    expect([wrongVillage.status, wrongVillage.body.details.fields?.[0]?.field]).toEqual([400, 'villageCode']);
  });

  it('refuses what is not CSV or .xlsx at upload (415), a file over IMPORT_MAX_BYTES (413), a line over 64 KiB, and a file without the columns', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const before = await t.sql('SELECT count(*)::int AS n FROM imports');
    const notCsv = await t.http().post('/api/v1/imports/eppgbm').set(cm).field('regencyCode', '3216').attach('file', png, 'foto.csv');
    expect([notCsv.status, notCsv.body.error]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const xls = await t.http().post('/api/v1/imports/eppgbm').set(cm).field('regencyCode', '3216').attach('file', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 'lama.xls');
    expect([xls.status, xls.body.message]).toEqual([415, expect.stringContaining('.xlsx')]);
    const big = await t.http().post('/api/v1/imports/eppgbm').set(cm).field('regencyCode', '3216').attach('file', Buffer.alloc(300 * 1024, 'a'), 'besar.csv');
    expect([big.status, big.body.message]).toEqual([413, expect.stringContaining('IMPORT_MAX_BYTES')]);
    // The family upload streams under the same limit.
    const bigFamilies = await t.http().post('/api/v1/imports/families').set(cm).field('regencyCode', '3216').attach('file', Buffer.alloc(300 * 1024, 'a'), 'keluarga.csv');
    expect([bigFamilies.status, bigFamilies.body.message]).toEqual([413, expect.stringContaining('IMPORT_MAX_BYTES')]);
    expect(await t.sql('SELECT count(*)::int AS n FROM imports')).toEqual(before);
    const long = await up(`Nama Anak;JK;Tgl Lahir;Desa;Tanggal Ukur;Berat\n${'x'.repeat(70 * 1024)}\n`);
    expect(long).toMatchObject({ status: 'failed', error: expect.stringContaining('longer than 64 KiB') });
    const noHeader = await up('foo,bar\n1,2\n');
    expect(noHeader).toMatchObject({ status: 'failed', error: expect.stringContaining('no header row') });
    const columns = await up('Nama Anak,JK,Tgl Lahir,Berat\nA,L,01/01/2025,9\n');
    expect(columns).toMatchObject({ status: 'failed', error: expect.stringContaining('no column for the day of the measurement') });
  });

  it('skips empty rows, keeps rejection reasons up to the cap, and stops a file whose first 1,000 rows are all refused', async () => {
    const header = 'Nama Anak;JK;Tgl Lahir;Kode Desa;Tanggal Pengukuran;Berat;Tinggi;Cara Ukur\n';
    const empties = await up(`${header}${';;;;;;;\n'.repeat(5000)}\n\n`);
    expect(empties).toMatchObject({ status: 'done', rowsRead: 0, rowsRejected: 0 });
    const bad = (n: number) => Array.from({ length: n }, (_, i) => `Anak ${i};X;31/02/2024;3216999999;01/13/2026;abc;;\n`).join('');
    const junk = await up(header + bad(1500));
    expect(junk).toMatchObject({ status: 'failed', rowsRead: 1000, rowsRejected: 1000, error: expect.stringContaining('does not look like e-PPGBM data') });
    expect(junk.error).toContain('sex must be L or P (1,000 rows)');
    expect(junk.rejections).toHaveLength(150);
    expect(junk.rejectionsOmitted).toBe(1000 * 4 - 150);
    const [{ n }] = await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM import_rejections WHERE import_id = $1', [junk.id]);
    expect(n).toBe(150);
  });
});
