import type { FieldProblem } from '../../common/errors/domain-error.js';

/** One e-PPGBM row as Tuntas reads it (domain brief §4.5). */
export interface EppgbmRow {
  nik: string | null;
  familyCardNumber: string | null;
  name: string;
  birthDate: string; // YYYY-MM-DD
  sex: 'M' | 'F';
  motherName: string | null;
  address: string | null;
  villageCode: string;
  posyandu: string | null;
  measuredAt: string; // YYYY-MM-DD
  weightKg: number | null;
  heightCm: number | null;
  method: 'recumbent' | 'standing' | null;
  headCm: number | null;
  muacCm: number | null;
}

type Field = keyof EppgbmRow;

/**
 * Header names as they appear in e-PPGBM exports and their public clones, normalised (lower
 * case, letters and digits only). A deployment adds its own with EPPGBM_HEADERS.
 */
export const DEFAULT_HEADERS: Record<string, Field> = {
  nikanak: 'nik',
  nik: 'nik',
  nokk: 'familyCardNumber',
  nomorkk: 'familyCardNumber',
  kk: 'familyCardNumber',
  namaanak: 'name',
  nama: 'name',
  tanggallahir: 'birthDate',
  tgllahir: 'birthDate',
  jeniskelamin: 'sex',
  jk: 'sex',
  namaibu: 'motherName',
  namaortu: 'motherName',
  namaibuortu: 'motherName',
  alamat: 'address',
  desa: 'villageCode',
  kodedesa: 'villageCode',
  desakelurahan: 'villageCode',
  kodewilayah: 'villageCode',
  posyandu: 'posyandu',
  tanggalukur: 'measuredAt',
  tglukur: 'measuredAt',
  tanggalpengukuran: 'measuredAt',
  tanggalpenimbangan: 'measuredAt',
  berat: 'weightKg',
  beratbadan: 'weightKg',
  bb: 'weightKg',
  tinggi: 'heightCm',
  tinggibadan: 'heightCm',
  panjangtinggi: 'heightCm',
  tb: 'heightCm',
  tbpb: 'heightCm',
  caraukur: 'method',
  lingkarkepala: 'headCm',
  lika: 'headCm',
  lila: 'muacCm',
};

export const normaliseHeader = (h: string) => h.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Maps a header row to fields; unknown columns are ignored. */
export function mapHeaders(headers: string[], extra: Record<string, string> = {}): { columns: (Field | null)[]; missing: Field[] } {
  const table: Record<string, Field> = { ...DEFAULT_HEADERS };
  for (const [k, v] of Object.entries(extra)) table[normaliseHeader(k)] = v as Field;
  const columns = headers.map((h) => table[normaliseHeader(h)] ?? null);
  const required: Field[] = ['name', 'birthDate', 'sex', 'villageCode', 'measuredAt'];
  return { columns, missing: required.filter((f) => !columns.includes(f)) };
}

/** DD/MM/YYYY (also DD-MM-YYYY) or YYYY-MM-DD → YYYY-MM-DD, if it is a real date. */
function date(s: string): string | null {
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (m) return calendarDate(m[3], m[2].padStart(2, '0'), m[1].padStart(2, '0'));
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return m ? calendarDate(m[1], m[2], m[3]) : null;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The ISO date, if the day exists in the (proleptic Gregorian) calendar; without a Date object, on every row. */
function calendarDate(year: string, month: string, day: string): string | null {
  const y = Number(year);
  const mo = Number(month);
  const d = Number(day);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (mo < 1 || mo > 12 || d < 1 || d > (mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo - 1])) return null;
  return `${year}-${month}-${day}`;
}

/** `7,5` and `7.5` are both 7.5; thousands separators do not occur in these fields. */
function decimal(s: string): number | null | undefined {
  if (s === '') return null;
  if (!/^\d{1,3}([.,]\d{1,3})?$/.test(s)) return undefined;
  return Number(s.replace(',', '.'));
}

export function parseRow(columns: (Field | null)[], values: string[]): { row: EppgbmRow } | { problems: FieldProblem[] } {
  const raw: Partial<Record<Field, string>> = {};
  columns.forEach((f, i) => {
    if (f) raw[f] = (values[i] ?? '').trim();
  });
  const problems: FieldProblem[] = [];
  const need = (f: Field) => {
    if (!raw[f]) problems.push({ field: f, reason: 'is empty' });
    return raw[f] ?? '';
  };
  const digits16 = (f: Field) => {
    const v = (raw[f] ?? '').replace(/[\s.'-]/g, '');
    if (v === '') return null;
    if (!/^\d{16}$/.test(v)) problems.push({ field: f, reason: 'must be 16 digits' });
    return v;
  };
  const num = (f: Field, min: number, max: number) => {
    const v = decimal(raw[f] ?? '');
    if (v === undefined || (v !== null && (v < min || v > max))) {
      problems.push({ field: f, reason: `must be a number from ${min} to ${max}` });
      return null;
    }
    return v;
  };
  const name = need('name').replace(/\s+/g, ' ');
  if (name.length > 200) problems.push({ field: 'name', reason: 'is longer than 200 characters' });
  const birthDate = date(need('birthDate'));
  if (raw.birthDate && !birthDate) problems.push({ field: 'birthDate', reason: 'is not a date (DD/MM/YYYY)' });
  const sexRaw = need('sex').toUpperCase();
  const sex = sexRaw === 'L' || sexRaw === 'M' ? 'M' : sexRaw === 'P' || sexRaw === 'F' ? 'F' : null;
  if (sexRaw && !sex) problems.push({ field: 'sex', reason: 'must be L or P' });
  const villageCode = need('villageCode').replace(/\./g, '');
  if (villageCode && !/^\d{10}$/.test(villageCode)) problems.push({ field: 'villageCode', reason: 'must be a 10-digit village code' });
  const measuredAt = date(need('measuredAt'));
  if (raw.measuredAt && !measuredAt) problems.push({ field: 'measuredAt', reason: 'is not a date (DD/MM/YYYY)' });
  const methodRaw = (raw.method ?? '').toLowerCase();
  const method = ['terlentang', 'berbaring', 'telentang', 'l', 'recumbent'].includes(methodRaw)
    ? 'recumbent'
    : ['berdiri', 'h', 'standing'].includes(methodRaw)
      ? 'standing'
      : null;
  if (methodRaw && !method) problems.push({ field: 'method', reason: 'must be terlentang or berdiri' });
  const weightKg = num('weightKg', 0.9, 58);
  const heightCm = num('heightCm', 38, 150);
  if (weightKg === null && heightCm === null && !problems.some((p) => p.field === 'weightKg' || p.field === 'heightCm')) {
    problems.push({ field: 'weightKg', reason: 'a row needs a weight or a height' });
  }
  if (heightCm !== null && !method) problems.push({ field: 'method', reason: 'is needed with a height (terlentang or berdiri)' });
  const row: EppgbmRow = {
    nik: digits16('nik'),
    familyCardNumber: digits16('familyCardNumber'),
    name,
    birthDate: birthDate ?? '',
    sex: sex ?? 'M',
    motherName: raw.motherName ? raw.motherName.slice(0, 200) : null,
    address: raw.address ? raw.address.slice(0, 500) : null,
    villageCode,
    posyandu: raw.posyandu ? raw.posyandu.slice(0, 200) : null,
    measuredAt: measuredAt ?? '',
    weightKg,
    heightCm,
    method,
    headCm: num('headCm', 20, 70),
    muacCm: num('muacCm', 5, 60),
  };
  return problems.length ? { problems } : { row };
}
