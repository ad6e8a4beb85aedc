// Writes a realistic e-PPGBM CSV: children of one regency (real village codes) measured month
// after month, heights and weights drawn from the WHO distributions with about 20% stunted,
// and about 1% bad rows of every kind (each with one known fault).
//   npm run gen:eppgbm -- OUT.csv --rows 100000 [--regency 3216] [--seed 7] [--excel]
// --excel writes what Excel saves under an Indonesian locale from an e-PPGBM export: `;`
// separators, unquoted decimal commas, a BOM, CRLF, DD/MM/YYYY, the export's own headers with
// village and kecamatan NAMES, derived columns to ignore, and mixed-case method values.
import { createWriteStream } from 'node:fs';
import { getDistricts, getRegencies, getVillages } from 'idn-area-data';
import { ageInDays, whoTables } from '../src/modules/growth/who/who-growth.js';

export interface GeneratedRow {
  line: string;
  /** The field a correct import must name for this row, or null for a good row. */
  fault: string | null;
}

export const HEADER = 'NIK Anak,Nama Anak,Tanggal Lahir,JK,Nama Ortu,Alamat,Desa,Posyandu,Tanggal Ukur,Berat,Tinggi,Cara Ukur';

/** The columns of an e-PPGBM export as Excel saves it, derived z-score columns included. */
export const EXCEL_COLUMNS = [
  'NIK', 'Nama Anak', 'JK', 'Tgl Lahir', 'Nama Ortu', 'Alamat', 'Prov', 'Kab/Kota', 'Kec', 'Puskesmas', 'Desa/Kel', 'Posyandu',
  'Tanggal Pengukuran', 'Berat Badan (kg)', 'Tinggi Badan (cm)', 'Cara Ukur', 'LILA (cm)', 'BB/U', 'ZS BB/U', 'TB/U', 'ZS TB/U',
];
export const EXCEL_HEADER = EXCEL_COLUMNS.join(';');

/** A generated reading, before it is written in one format or another. */
export interface GeneratedReading {
  nik: string;
  name: string;
  sex: 'L' | 'P';
  birth: string;
  mother: string;
  address: string;
  province: string;
  regency: string;
  kecamatan: string;
  villageCode: string;
  villageName: string;
  posyandu: string;
  day: string;
  weight: number;
  height: number;
  method: string;
  muac: number | null;
  haz: number;
  waz: number;
}

/** Excel-mode faults: each names the field a correct import must report. */
const EXCEL_FAULTS: [string, (r: Record<string, string>) => void][] = [
  ['nik', (r) => (r.NIK = r.NIK ? r.NIK.slice(1) : '123')],
  ['birthDate', (r) => (r['Tgl Lahir'] = '31/02/2024')],
  ['sex', (r) => (r.JK = 'X')],
  ['villageName', (r) => (r['Desa/Kel'] = 'Antah Berantah')],
  ['regencyName', (r) => (r['Kab/Kota'] = 'KOTA BANDUNG')],
  ['weightKg', (r) => (r['Berat Badan (kg)'] = '0,2')],
  ['heightCm', (r) => (r['Tinggi Badan (cm)'] = 'abc')],
  ['name', (r) => (r['Nama Anak'] = '')],
  ['method', (r) => (r['Cara Ukur'] = 'Duduk')],
  ['measuredAt', (r) => (r['Tanggal Pengukuran'] = '01/13/2026')],
  ['measuredAt', (r) => (r['Tanggal Pengukuran'] = '01/01/2030')], // in the future
];

const METHOD_SPELLINGS = { recumbent: ['Terlentang', 'TERLENTANG', 'terlentang', 'Telentang'], standing: ['Berdiri', 'BERDIRI', 'berdiri'] };

/** A reading as the cells of an Excel-saved export, by column name. */
export function excelCells(r: GeneratedReading, pick: () => number): Record<string, string> {
  const comma = (x: number) => x.toFixed(1).replace('.', ',');
  const spellings = METHOD_SPELLINGS[r.method === 'Berdiri' ? 'standing' : 'recumbent'];
  return {
    NIK: r.nik,
    'Nama Anak': r.name,
    JK: r.sex,
    'Tgl Lahir': ddmmyyyy(r.birth),
    'Nama Ortu': r.mother,
    Alamat: `Jl. Melati No. ${1 + Math.floor(pick() * 90)}, ${r.address}`,
    Prov: r.province,
    'Kab/Kota': r.regency,
    Kec: r.kecamatan,
    Puskesmas: `Puskesmas ${r.kecamatan}`,
    'Desa/Kel': pick() < 0.5 ? r.villageName.toUpperCase() : r.villageName,
    Posyandu: r.posyandu,
    'Tanggal Pengukuran': ddmmyyyy(r.day),
    'Berat Badan (kg)': comma(r.weight),
    'Tinggi Badan (cm)': comma(r.height),
    'Cara Ukur': spellings[Math.floor(pick() * spellings.length)],
    'LILA (cm)': r.muac === null ? '' : comma(r.muac),
    'BB/U': r.waz < -2 ? 'Kurang' : 'Normal',
    'ZS BB/U': comma(r.waz),
    'TB/U': r.haz < -2 ? 'Pendek' : 'Normal',
    'ZS TB/U': comma(r.haz),
  };
}

const FAULTS: [string, (cells: string[]) => void][] = [
  ['nik', (c) => (c[0] = c[0] ? c[0].slice(1) : '123')],
  ['birthDate', (c) => (c[2] = '31/02/2024')],
  ['sex', (c) => (c[3] = 'X')],
  ['villageCode', (c) => (c[6] = '3216999999')],
  ['villageCode', (c) => (c[6] = '3273011001')], // another regency
  ['weightKg', (c) => (c[9] = '0,2')],
  ['heightCm', (c) => (c[10] = 'abc')],
  ['name', (c) => (c[1] = '')],
  ['method', (c) => (c[11] = 'duduk')],
  ['measuredAt', (c) => (c[8] = '01/13/2026')],
  ['measuredAt', (c) => (c[8] = '01/01/2030')], // in the future
];

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ['Aisyah', 'Budi', 'Citra', 'Dimas', 'Eka', 'Fajar', 'Gita', 'Hana', 'Indra', 'Joko', 'Kirana', 'Lestari', 'Rizky', 'Putri', 'Sari', 'Tegar', 'Wulan', 'Yusuf'];
const SURNAMES = ['Pratama', 'Wijaya', 'Saputra', 'Lestari', 'Hidayat', 'Nugroho', 'Rahmawati', 'Kurniawan', 'Santoso', 'Permata'];
const pad = (n: number) => String(n).padStart(2, '0');
const ddmmyyyy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/** The readings, lazily: a generator holds one child at a time. */
export async function* generateReadings(opts: { rows: number; regency?: string; seed?: number; today?: string }): AsyncGenerator<{ r: GeneratedReading; pick: () => number }> {
  const regency = opts.regency ?? '3216';
  const today = opts.today ?? '2026-11-23';
  const rand = prng(opts.seed ?? 7);
  const normal = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const dottedRegency = `${regency.slice(0, 2)}.${regency.slice(2)}`;
  const kecamatan = new Map((await getDistricts()).filter((d) => d.regency_code === dottedRegency).map((d) => [d.code.replaceAll('.', ''), d.name]));
  const villages = (await getVillages())
    .filter((v) => v.code.startsWith(`${dottedRegency}.`))
    .map((v) => ({ code: v.code.replaceAll('.', ''), name: v.name }));
  const regencyName = (await getRegencies()).find((r) => r.code === dottedRegency)?.name.toUpperCase() ?? regency;
  const t = whoTables();
  const visits = 4;
  let written = 0;
  let child = 0;
  while (written < opts.rows) {
    child += 1;
    const sex = rand() < 0.5 ? 'M' : 'F';
    const village = villages[Math.floor(rand() * villages.length)];
    const ageAtFirst = 30 + Math.floor(rand() * 1600);
    const firstVisit = `2026-0${1 + Math.floor(rand() * 6)}-${pad(1 + Math.floor(rand() * 27))}`;
    const birth = new Date(Date.parse(`${firstVisit}T00:00:00Z`) - ageAtFirst * 86_400_000).toISOString().slice(0, 10);
    const haz = -1 + 1.1 * normal();
    const waz = -0.8 + normal();
    const [y, m, d] = birth.split('-');
    const nik = rand() < 0.8 ? `${village.code.slice(0, 6)}${pad(Number(d) + (sex === 'F' ? 40 : 0))}${m}${y.slice(2)}${String(child % 10000 || 1).padStart(4, '0')}` : '';
    const name = `${NAMES[Math.floor(rand() * NAMES.length)]} ${SURNAMES[Math.floor(rand() * SURNAMES.length)]} ${child}`;
    for (let v = 0; v < visits && written < opts.rows; v++) {
      const day = new Date(Date.parse(`${firstVisit}T00:00:00Z`) + v * 30 * 86_400_000).toISOString().slice(0, 10);
      if (day > today) break;
      const age = ageInDays(birth, day);
      if (age > 1826) break;
      const lhfa = t.lhfa[sex][age];
      const wfa = t.wfa[sex][age];
      const standing = age >= 731;
      const height = lhfa.M * (1 + lhfa.S * (haz + 0.03 * normal()));
      const weight = wfa.M * (1 + wfa.L * wfa.S * (waz + 0.05 * normal())) ** (1 / wfa.L);
      written += 1;
      yield {
        r: {
          nik,
          name,
          sex: sex === 'M' ? 'L' : 'P',
          birth,
          mother: `Ibu ${SURNAMES[child % SURNAMES.length]}`,
          address: `RT 0${1 + (child % 9)}/RW 0${1 + (child % 7)}`,
          province: 'JAWA BARAT',
          regency: regencyName,
          kecamatan: kecamatan.get(village.code.slice(0, 6)) ?? '',
          villageCode: village.code,
          villageName: village.name,
          posyandu: `Posyandu ${1 + (child % 40)}`,
          day,
          weight: Math.min(57.9, Math.max(1, weight)),
          height: Math.min(149.9, Math.max(38.1, height)),
          method: standing ? 'Berdiri' : 'Terlentang',
          muac: age >= 180 ? 11 + Math.round(rand() * 60) / 10 : null,
          haz: Math.round(haz * 100) / 100,
          waz: Math.round(waz * 100) / 100,
        },
        pick: rand,
      };
    }
  }
}

/** The rows of the classic comma file, lazily. */
export async function* generateEppgbm(opts: { rows: number; regency?: string; seed?: number; today?: string }): AsyncGenerator<GeneratedRow> {
  for await (const { r, pick } of generateReadings(opts)) {
    const comma = pick() < 0.3;
    const num = (x: number) => (comma ? x.toFixed(1).replace('.', ',') : x.toFixed(1));
    const v = r.villageCode;
    const cells = [
      r.nik,
      r.name,
      ddmmyyyy(r.birth),
      r.sex,
      r.mother,
      r.address,
      pick() < 0.5 ? v : `${v.slice(0, 2)}.${v.slice(2, 4)}.${v.slice(4, 6)}.${v.slice(6)}`,
      r.posyandu,
      ddmmyyyy(r.day),
      num(r.weight),
      num(r.height),
      r.method,
    ];
    let fault: string | null = null;
    if (pick() < 0.01) {
      const [field, apply] = FAULTS[Math.floor(pick() * FAULTS.length)];
      apply(cells);
      fault = field;
    }
    yield { line: cells.map((c) => (/[,"]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(','), fault };
  }
}

/** The rows as Excel saves an export under an Indonesian locale: `;`, decimal commas never quoted. */
export async function* generateExcelRows(opts: { rows: number; regency?: string; seed?: number; today?: string }): AsyncGenerator<GeneratedRow & { cells: Record<string, string> }> {
  for await (const { r, pick } of generateReadings(opts)) {
    const cells = excelCells(r, pick);
    let fault: string | null = null;
    if (pick() < 0.01) {
      const [field, apply] = EXCEL_FAULTS[Math.floor(pick() * EXCEL_FAULTS.length)];
      apply(cells);
      fault = field;
    }
    // Excel quotes a cell only when it holds the separator, a quote or a line break.
    const line = EXCEL_COLUMNS.map((c) => cells[c]).map((c) => (/[;"\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(';');
    yield { line, fault, cells };
  }
}

async function main(): Promise<void> {
  const [out, ...args] = process.argv.slice(2);
  const opt = (name: string, dflt: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : dflt;
  };
  if (!out) throw new Error('usage: gen-eppgbm OUT.csv --rows N [--regency 3216] [--seed 7] [--excel]');
  const excel = args.includes('--excel');
  const file = createWriteStream(out);
  const eol = excel ? '\r\n' : '\n';
  file.write(excel ? `\ufeff${EXCEL_HEADER}${eol}` : `${HEADER}${eol}`);
  let faults = 0;
  const opts = { rows: Number(opt('rows', '100000')), regency: opt('regency', '3216'), seed: Number(opt('seed', '7')) };
  for await (const row of excel ? generateExcelRows(opts) : generateEppgbm(opts)) {
    if (row.fault) faults += 1;
    if (!file.write(`${row.line}${eol}`)) await new Promise<void>((r) => file.once('drain', () => r()));
  }
  await new Promise<void>((r) => file.end(() => r()));
  process.stderr.write(`wrote ${out} (${faults} bad rows)\n`);
}

if (process.argv[1]?.endsWith('gen-eppgbm.js')) await main();
