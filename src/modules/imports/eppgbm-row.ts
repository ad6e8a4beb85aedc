import type { FieldProblem } from '../../common/errors/domain-error.js';
import { displayProblem } from '../../common/text/displayable.js';

/** One e-PPGBM reading as Tuntas reads it (domain brief §4.5). */
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

/** What a column can hold: the row's fields, and the region names a real export carries beside (or instead of) codes. */
export type Field =
  | keyof EppgbmRow
  | 'villageName'
  | 'districtName'
  | 'regencyName'
  | 'provinceName'
  | 'puskesmas';

/**
 * Header names of e-PPGBM exports, the upload template and posyandu registers, normalised (lower
 * case, letters and digits only, a unit in brackets dropped). A deployment adds its own with
 * EPPGBM_HEADERS. Derived columns (BB/U, ZS TB/U, BB/TB, Umur…) are not listed, so they are ignored.
 */
export const DEFAULT_HEADERS: Record<string, Field> = {
  nik: 'nik',
  nikanak: 'nik',
  nikbalita: 'nik',
  nokk: 'familyCardNumber',
  nomorkk: 'familyCardNumber',
  kk: 'familyCardNumber',
  nomorkartukeluarga: 'familyCardNumber',
  namaanak: 'name',
  nama: 'name',
  namabalita: 'name',
  tanggallahir: 'birthDate',
  tgllahir: 'birthDate',
  jeniskelamin: 'sex',
  jk: 'sex',
  lp: 'sex',
  namaibu: 'motherName',
  namaortu: 'motherName',
  namaibuortu: 'motherName',
  namaorangtua: 'motherName',
  alamat: 'address',
  kodedesa: 'villageCode',
  kodedesakel: 'villageCode',
  kodedesakelurahan: 'villageCode',
  kodekelurahan: 'villageCode',
  kodewilayah: 'villageCode',
  desa: 'villageName',
  desakel: 'villageName',
  desakelurahan: 'villageName',
  kelurahan: 'villageName',
  kelurahandesa: 'villageName',
  namadesa: 'villageName',
  kel: 'villageName',
  kec: 'districtName',
  kecamatan: 'districtName',
  namakecamatan: 'districtName',
  kabkota: 'regencyName',
  kabupatenkota: 'regencyName',
  kabupaten: 'regencyName',
  kota: 'regencyName',
  prov: 'provinceName',
  provinsi: 'provinceName',
  puskesmas: 'puskesmas',
  pkm: 'puskesmas',
  posyandu: 'posyandu',
  namaposyandu: 'posyandu',
  tanggalukur: 'measuredAt',
  tglukur: 'measuredAt',
  tanggalpengukuran: 'measuredAt',
  tglpengukuran: 'measuredAt',
  tanggalpenimbangan: 'measuredAt',
  tglpenimbangan: 'measuredAt',
  berat: 'weightKg',
  beratbadan: 'weightKg',
  bb: 'weightKg',
  tinggi: 'heightCm',
  tinggibadan: 'heightCm',
  panjangbadan: 'heightCm',
  panjangtinggi: 'heightCm',
  tinggipanjang: 'heightCm',
  tb: 'heightCm',
  tbpb: 'heightCm',
  pbtb: 'heightCm',
  caraukur: 'method',
  lingkarkepala: 'headCm',
  lika: 'headCm',
  lila: 'muacCm',
};

export const normaliseHeader = (h: string) =>
  h
    .toLowerCase()
    .replace(/\([^)]*\)|\[[^\]]*\]/g, '')
    .replace(/[^a-z0-9]/g, '');

const MONTHS = ['januari', 'februari', 'maret', 'april', 'mei', 'juni', 'juli', 'agustus', 'september', 'oktober', 'november', 'desember'];
const MONTH_HEADER = new RegExp(`^(${MONTHS.join('|')})\\s*(\\d{4})$`, 'i');

/** The fields each reading of a posyandu register's month block has. */
const BLOCK_FIELDS = new Set<Field>(['measuredAt', 'weightKg', 'heightCm', 'method', 'muacCm', 'headCm']);

/**
 * How a file's columns become readings. `flat`: one reading per row (the e-PPGBM export and
 * template). `register`: a posyandu register, one row per child and a block of columns per
 * month under a first header row naming the month (`JANUARI 2026`), each filled month a reading.
 */
export interface Layout {
  kind: 'flat' | 'register';
  /** Row fields by column (flat: all; register: the child's columns). */
  columns: (Field | null)[];
  blocks: { label: string; columns: Map<Field, number> }[];
  /** Header rows it took (1, or 2 for a register). */
  headerRows: number;
}

export const REQUIRED: Field[] = ['name', 'birthDate', 'sex', 'measuredAt'];

/** Human names of fields, for a file that lacks one. */
export const FIELD_LABELS: Partial<Record<Field, string>> = {
  name: 'the child\'s name (Nama Anak)',
  birthDate: 'the birth date (Tgl Lahir)',
  sex: 'the sex (JK)',
  measuredAt: 'the day of the measurement (Tanggal Pengukuran / TGL UKUR)',
  villageCode: 'the village (Desa/Kel or Kode Desa; or give villageCode in the upload form)',
};

function table(extra: Record<string, string>): Record<string, Field> {
  const t: Record<string, Field> = { ...DEFAULT_HEADERS };
  for (const [k, v] of Object.entries(extra)) t[normaliseHeader(k)] = v as Field;
  return t;
}

/** Maps one header row to fields; unknown columns are ignored; the first column of a field wins. */
export function mapHeaders(headers: string[], extra: Record<string, string> = {}): { columns: (Field | null)[]; missing: Field[] } {
  const t = table(extra);
  const seen = new Set<Field>();
  const columns = headers.map((h) => {
    const f = t[normaliseHeader(h)] ?? null;
    if (f === null || seen.has(f)) return null;
    seen.add(f);
    return f;
  });
  return { columns, missing: missingOf(columns, []) };
}

function missingOf(columns: (Field | null)[], blocks: Layout['blocks']): Field[] {
  const has = (f: Field) => columns.includes(f) || blocks.some((b) => b.columns.has(f));
  const missing = REQUIRED.filter((f) => !has(f));
  if (!has('villageCode') && !has('villageName')) missing.push('villageCode');
  return missing;
}

/** True when a row looks like a header: it names at least three known fields, or a month block. */
export function looksLikeHeader(cells: string[], extra: Record<string, string> = {}): boolean {
  if (cells.some((c) => MONTH_HEADER.test(c.trim()))) return true;
  const t = table(extra);
  return new Set(cells.map((c) => t[normaliseHeader(c)]).filter(Boolean)).size >= 3;
}

/**
 * The layout from the header row (and, for a register, the sub-header row under it). Villages
 * or posyandu the upload form gives count as present.
 */
export function detectLayout(
  header: string[],
  next: string[] | undefined,
  opts: { extra?: Record<string, string>; formGives?: Field[] } = {},
): { layout: Layout; missing: Field[] } {
  const monthAt = header.map((c) => MONTH_HEADER.exec(c.trim()));
  if (!monthAt.some(Boolean)) {
    const { columns } = mapHeaders(header, opts.extra);
    const missing = missingOf(columns, []).filter((f) => !(opts.formGives ?? []).includes(f));
    return { layout: { kind: 'flat', columns, blocks: [], headerRows: 1 }, missing };
  }
  const t = table(opts.extra ?? {});
  const starts = monthAt.map((m, i) => (m ? i : -1)).filter((i) => i >= 0);
  const columns: (Field | null)[] = header.map((h, i) => (i < starts[0] ? (t[normaliseHeader(h)] ?? null) : null));
  const blocks = starts.map((start, k) => {
    const end = k + 1 < starts.length ? starts[k + 1] : Math.max(header.length, next?.length ?? 0);
    const m = monthAt[start]!;
    const label = `${m[1].toUpperCase()} ${m[2]}`;
    const cols = new Map<Field, number>();
    for (let i = start; i < end; i++) {
      const f = t[normaliseHeader(next?.[i] ?? '')];
      if (f && BLOCK_FIELDS.has(f) && !cols.has(f)) cols.set(f, i);
    }
    return { label, columns: cols };
  });
  const missing = missingOf(columns, blocks).filter((f) => !(opts.formGives ?? []).includes(f));
  return { layout: { kind: 'register', columns, blocks, headerRows: 2 }, missing };
}

/** A row's readings as raw text per field; `label` names the register month a reading came from. */
export type RawReading = { label: string | null; raw: Partial<Record<Field, string>> };

/** The readings a data row holds: one for a flat row, one per filled month of a register row. */
export function readingsOf(layout: Layout, cells: string[]): RawReading[] {
  const base: Partial<Record<Field, string>> = {};
  layout.columns.forEach((f, i) => {
    if (f) base[f] = (cells[i] ?? '').trim();
  });
  if (layout.kind === 'flat') return [{ label: null, raw: base }];
  const out: RawReading[] = [];
  for (const b of layout.blocks) {
    const raw: Partial<Record<Field, string>> = { ...base };
    let filled = false;
    for (const [f, i] of b.columns) {
      raw[f] = (cells[i] ?? '').trim();
      if (raw[f] !== '' && (f === 'measuredAt' || f === 'weightKg' || f === 'heightCm')) filled = true;
    }
    if (filled) out.push({ label: b.label, raw });
  }
  return out;
}

/** Resolves a village within the import's regency, and checks region names against codes. */
export interface RegionContext {
  /** A village code from its name (tolerant of case, spacing and Desa/Kel. prefixes), with the kecamatan to tell apart two of one name. */
  villageByName(name: string, districtName: string | undefined): { code: string } | { problem: string };
  /** Why a name does not fit a village code, or null. */
  villageNameProblem(code: string, name: string): string | null;
  /** Why a Kab/Kota name does not fit the import's regency, or null. */
  regencyNameProblem(name: string): string | null;
  /** What the upload form gives for a file without the column. */
  defaults: { villageCode?: string; posyandu?: string };
}

const CODE = /^\d{2}\.?\d{2}\.?\d{2}\.?\d{4}$/;

/** DD/MM/YYYY (also - or .), YYYY-MM-DD (with a time after it), or an Excel day serial → YYYY-MM-DD, if it is a real day. */
export function parseDay(s: string): string | null {
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (m) return calendarDate(m[3], m[2].padStart(2, '0'), m[1].padStart(2, '0'));
  m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$/.exec(s);
  if (m) return calendarDate(m[1], m[2], m[3]);
  // An Excel serial (days since 1899-12-30), as a date cell saved without its format gives it.
  if (/^\d{5}$/.test(s) && Number(s) >= 20_000 && Number(s) <= 80_000) {
    return new Date(Date.UTC(1899, 11, 30) + Number(s) * 86_400_000).toISOString().slice(0, 10);
  }
  return null;
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

const SEXES: Record<string, 'M' | 'F'> = { l: 'M', m: 'M', lakilaki: 'M', laki: 'M', p: 'F', f: 'F', perempuan: 'F', wanita: 'F' };
const METHODS: Record<string, 'recumbent' | 'standing'> = {
  terlentang: 'recumbent',
  telentang: 'recumbent',
  berbaring: 'recumbent',
  l: 'recumbent',
  pb: 'recumbent',
  recumbent: 'recumbent',
  berdiri: 'standing',
  h: 'standing',
  tb: 'standing',
  standing: 'standing',
};

/** A raw reading → a row, or every problem it has, each with its field. */
export function parseReading(reading: RawReading, ctx: RegionContext): { row: EppgbmRow } | { problems: FieldProblem[] } {
  const { raw, label } = reading;
  const problems: FieldProblem[] = [];
  const problem = (field: string, reason: string) => problems.push({ field, reason: label && BLOCK_FIELDS.has(field as Field) ? `${label}: ${reason}` : reason });
  const need = (f: Field) => {
    if (!raw[f]) problem(f, 'is empty');
    return raw[f] ?? '';
  };
  const digits16 = (f: Field) => {
    const v = (raw[f] ?? '').replace(/[\s.'-]/g, '');
    if (v === '') return null;
    if (!/^\d{16}$/.test(v)) problem(f, 'must be 16 digits');
    return v;
  };
  const num = (f: Field, min: number, max: number) => {
    const v = decimal(raw[f] ?? '');
    if (v === undefined || (v !== null && (v < min || v > max))) {
      problem(f, `must be a number from ${min} to ${max}`);
      return null;
    }
    return v;
  };
  const name = need('name').replace(/\s+/g, ' ');
  if (name.length > 200) problem('name', 'is longer than 200 characters');
  // The same rule as the API's names: nothing that displays as another name, or as none.
  const nameWhy = displayProblem(name);
  if (nameWhy) problem('name', nameWhy);
  const motherWhy = raw.motherName ? displayProblem(raw.motherName) : null;
  if (motherWhy) problem('motherName', motherWhy);
  const birthDate = parseDay(need('birthDate'));
  if (raw.birthDate && !birthDate) problem('birthDate', 'is not a date (DD/MM/YYYY)');
  const sexRaw = need('sex').toLowerCase().replace(/[^a-z]/g, '');
  const sex = SEXES[sexRaw] ?? null;
  if (sexRaw && !sex) problem('sex', 'must be L or P');
  const villageCode = village(raw, ctx, problem);
  if (raw.regencyName) {
    const why = ctx.regencyNameProblem(raw.regencyName);
    if (why) problem('regencyName', why);
  }
  const measuredAt = parseDay(need('measuredAt'));
  if (raw.measuredAt && !measuredAt) problem('measuredAt', 'is not a date (DD/MM/YYYY)');
  const methodRaw = (raw.method ?? '').toLowerCase().trim();
  const method = METHODS[methodRaw] ?? null;
  if (methodRaw && !method) problem('method', 'must be terlentang or berdiri');
  const weightKg = num('weightKg', 0.9, 58);
  const heightCm = num('heightCm', 38, 150);
  if (weightKg === null && heightCm === null && !problems.some((p) => p.field === 'weightKg' || p.field === 'heightCm')) {
    problem('weightKg', 'a row needs a weight or a height');
  }
  if (heightCm !== null && !method) problem('method', 'is needed with a height (terlentang or berdiri)');
  const posyandu = raw.posyandu || ctx.defaults.posyandu || '';
  const row: EppgbmRow = {
    nik: digits16('nik'),
    familyCardNumber: digits16('familyCardNumber'),
    name,
    birthDate: birthDate ?? '',
    sex: sex ?? 'M',
    motherName: raw.motherName ? raw.motherName.slice(0, 200) : null,
    address: raw.address ? raw.address.slice(0, 500) : null,
    villageCode,
    posyandu: posyandu ? posyandu.slice(0, 200) : null,
    measuredAt: measuredAt ?? '',
    weightKg,
    heightCm,
    method,
    headCm: num('headCm', 20, 70),
    muacCm: num('muacCm', 5, 60),
  };
  return problems.length ? { problems } : { row };
}

/**
 * The row's village code. A code column wins and a name beside it must fit it; a name alone is
 * resolved in the regency (a name column that holds a code is read as a code); a file with
 * neither takes the upload form's village.
 */
function village(raw: Partial<Record<Field, string>>, ctx: RegionContext, problem: (field: string, reason: string) => void): string {
  let code = raw.villageCode ?? '';
  let name = raw.villageName ?? '';
  if (!code && CODE.test(name)) [code, name] = [name, ''];
  if (code) {
    const undotted = code.replace(/\./g, '');
    if (!/^\d{10}$/.test(undotted)) {
      problem('villageCode', 'must be a 10-digit village code');
      return undotted;
    }
    if (name) {
      const why = ctx.villageNameProblem(undotted, name);
      if (why) problem('villageName', why);
    }
    return undotted;
  }
  if (name) {
    const found = ctx.villageByName(name, raw.districtName || undefined);
    if ('problem' in found) {
      problem('villageName', found.problem);
      return '';
    }
    return found.code;
  }
  if (raw.villageCode === undefined && raw.villageName === undefined && ctx.defaults.villageCode) return ctx.defaults.villageCode;
  problem(raw.villageName !== undefined ? 'villageName' : 'villageCode', 'is empty');
  return '';
}
