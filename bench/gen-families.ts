// Writes a realistic PK/Verval family export as district operators get it from the BKKBN app:
// Excel's `;` CSV with a BOM, one row per family and period, real village codes of one regency,
// target flags and screening factors in the proportions of the 2024 counts (about 20% KRS), the
// file's own risiko_stunting flag on about half the rows, and about 1% bad rows (one known fault each).
//   node dist/bench/gen-families.js OUT.csv --rows 100000 [--regency 3216] [--seed 7]
import { createWriteStream } from 'node:fs';
import { getVillages } from 'idn-area-data';

export const FAMILY_HEADER =
  'no_kk;nama_kepala_keluarga;nama_istri;kode_desa;rw;rt;periode;pus;pus_hamil;baduta;balita;sumber_air_minum_tidak_layak;' +
  'jamban_tidak_layak;terlalu_muda;terlalu_tua;terlalu_dekat;terlalu_banyak;kesertaan_kb_modern;risiko_stunting;kesejahteraan_prioritas';

export interface GeneratedFamily {
  line: string;
  fault: string | null;
}

const FAULTS: [string, (c: string[]) => void][] = [
  ['familyCardNumber', (c) => (c[0] = c[0].slice(2))],
  ['headName', (c) => (c[1] = '')],
  ['villageCode', (c) => (c[3] = '3216999999')],
  ['villageCode', (c) => (c[3] = '3273011001')], // another regency
  ['periode', (c) => (c[6] = '24')],
  ['pus', (c) => (c[7] = 'mungkin')],
  ['welfarePriority', (c) => (c[19] = '7')],
  ['importedFlag', (c) => (c[18] = 'X1')],
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

const MEN = ['Ahmad', 'Budi', 'Dedi', 'Eko', 'Fajar', 'Hendra', 'Iwan', 'Joko', 'Rudi', 'Slamet', 'Teguh', 'Yusuf'];
const WOMEN = ['Ani', 'Dewi', 'Euis', 'Fitri', 'Iis', 'Lilis', 'Nining', 'Rina', 'Siti', 'Tuti', 'Wati', 'Yuli'];
const SURNAMES = ['Hidayat', 'Kurniawan', 'Nugroho', 'Permana', 'Saputra', 'Setiawan', 'Sutisna', 'Wijaya'];

/** The rows, lazily. Family `i` always gets the same card number, so two periods of one seed meet on it. */
export async function* generateFamilies(opts: { rows: number; regency?: string; seed?: number; period?: string }): AsyncGenerator<GeneratedFamily> {
  const regency = opts.regency ?? '3216';
  const rand = prng(opts.seed ?? 7);
  const villages = (await getVillages()).map((v) => v.code.replaceAll('.', '')).filter((c) => c.startsWith(regency));
  const yn = (p: number) => (rand() < p ? '1' : '0');
  for (let i = 0; i < opts.rows; i++) {
    const village = villages[i % villages.length];
    const pus = rand() < 0.8;
    const hamil = pus && rand() < 0.08;
    const baduta = rand() < 0.18;
    const balita = rand() < 0.22;
    const cells = [
      `${village.slice(0, 6)}${String(100000 + i).padStart(10, '0')}`,
      `${MEN[Math.floor(rand() * MEN.length)]} ${SURNAMES[Math.floor(rand() * SURNAMES.length)]}`,
      pus ? `${WOMEN[Math.floor(rand() * WOMEN.length)]} ${SURNAMES[Math.floor(rand() * SURNAMES.length)]}` : '',
      village,
      String(1 + Math.floor(rand() * 12)).padStart(3, '0'),
      String(1 + Math.floor(rand() * 9)).padStart(3, '0'),
      opts.period ?? '2024-2',
      pus ? '1' : '0',
      hamil ? '1' : '0',
      baduta ? '1' : '0',
      balita ? '1' : '0',
      yn(0.045),
      yn(0.09),
      pus ? yn(0.03) : '0',
      pus ? yn(0.12) : '0',
      pus ? yn(0.08) : '0',
      pus ? yn(0.06) : '0',
      pus ? (rand() < 0.6 ? 'Y' : 'T') : '',
      '',
      String(Math.floor(rand() * 5)),
    ];
    // About half the rows carry the app's own result: V at risk, 2 not.
    if (rand() < 0.5) cells[18] = rand() < 0.2 ? 'V' : '2';
    let fault: string | null = null;
    if (rand() < 0.01) {
      const [field, apply] = FAULTS[Math.floor(rand() * FAULTS.length)];
      apply(cells);
      fault = field;
    }
    yield { line: cells.join(';'), fault };
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [out, ...args] = process.argv.slice(2);
  const opt = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const stream = createWriteStream(out);
  stream.write(`\uFEFF${FAMILY_HEADER}\n`);
  for await (const r of generateFamilies({ rows: Number(opt('rows') ?? 100_000), regency: opt('regency'), seed: Number(opt('seed') ?? 7) })) {
    if (!stream.write(`${r.line}\n`)) await new Promise<void>((res) => stream.once('drain', () => res()));
  }
  stream.end();
}
