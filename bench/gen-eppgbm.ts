// Writes a realistic e-PPGBM CSV: children of one regency (real village codes) measured month
// after month, heights and weights drawn from the WHO distributions with about 20% stunted,
// and about 1% bad rows of every kind (each with one known fault).
//   npm run gen:eppgbm -- OUT.csv --rows 100000 [--regency 3216] [--seed 7]
import { createWriteStream } from 'node:fs';
import { getVillages } from 'idn-area-data';
import { ageInDays, whoTables } from '../src/modules/growth/who/who-growth.js';

export interface GeneratedRow {
  line: string;
  /** The field a correct import must name for this row, or null for a good row. */
  fault: string | null;
}

export const HEADER = 'NIK Anak,Nama Anak,Tanggal Lahir,JK,Nama Ortu,Alamat,Desa,Posyandu,Tanggal Ukur,Berat,Tinggi,Cara Ukur';

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

/** The rows, lazily: a generator holds one child at a time. */
export async function* generateEppgbm(opts: { rows: number; regency?: string; seed?: number; today?: string }): AsyncGenerator<GeneratedRow> {
  const regency = opts.regency ?? '3216';
  const today = opts.today ?? '2026-11-23';
  const rand = prng(opts.seed ?? 7);
  const normal = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const villages = (await getVillages()).map((v) => v.code.replaceAll('.', '')).filter((c) => c.startsWith(regency));
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
    const nik = rand() < 0.8 ? `${village.slice(0, 6)}${pad(Number(d) + (sex === 'F' ? 40 : 0))}${m}${y.slice(2)}${String(child % 10000 || 1).padStart(4, '0')}` : '';
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
      const comma = rand() < 0.3;
      const num = (x: number) => (comma ? x.toFixed(1).replace('.', ',') : x.toFixed(1));
      const cells = [
        nik,
        name,
        ddmmyyyy(birth),
        sex === 'M' ? 'L' : 'P',
        `Ibu ${SURNAMES[child % SURNAMES.length]}`,
        `RT 0${1 + (child % 9)}/RW 0${1 + (child % 7)}`,
        rand() < 0.5 ? village : `${village.slice(0, 2)}.${village.slice(2, 4)}.${village.slice(4, 6)}.${village.slice(6)}`,
        `Posyandu ${1 + (child % 40)}`,
        ddmmyyyy(day),
        num(Math.min(57.9, Math.max(1, weight))),
        num(Math.min(149.9, Math.max(38.1, height))),
        standing ? 'Berdiri' : 'Terlentang',
      ];
      let fault: string | null = null;
      if (rand() < 0.01) {
        const [field, apply] = FAULTS[Math.floor(rand() * FAULTS.length)];
        apply(cells);
        fault = field;
      }
      written += 1;
      yield { line: cells.map((c) => (/[,"]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(','), fault };
    }
  }
}

async function main(): Promise<void> {
  const [out, ...args] = process.argv.slice(2);
  const opt = (name: string, dflt: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : dflt;
  };
  if (!out) throw new Error('usage: gen-eppgbm OUT.csv --rows N [--regency 3216] [--seed 7]');
  const file = createWriteStream(out);
  file.write(`${HEADER}\n`);
  let faults = 0;
  for await (const row of generateEppgbm({ rows: Number(opt('rows', '100000')), regency: opt('regency', '3216'), seed: Number(opt('seed', '7')) })) {
    if (row.fault) faults += 1;
    if (!file.write(`${row.line}\n`)) await new Promise<void>((r) => file.once('drain', () => r()));
  }
  await new Promise<void>((r) => file.end(() => r()));
  process.stderr.write(`wrote ${out} (${faults} bad rows)\n`);
}

if (process.argv[1]?.endsWith('gen-eppgbm.js')) await main();
