import type { FieldProblem } from '../../common/errors/domain-error.js';
import { displayProblem } from '../../common/text/displayable.js';
import { normaliseHeader } from '../imports/eppgbm-row.js';
import { isRealDay } from './dates.js';
import type { KrsFactors, KrsTarget } from './krs.js';

/** One family of a PK/Verval export as Tuntas reads it (domain-wave2 §1, "What a record looks like"). */
export interface FamilyImportRow {
  familyCardNumber: string;
  headName: string;
  wifeName: string | null;
  villageCode: string;
  rt: string | null;
  rw: string | null;
  welfarePriority: number;
  year: number;
  round: 1 | 2;
  referenceDate: string | null;
  target: KrsTarget;
  factors: KrsFactors;
  importedFlag: boolean | null;
}

type Field =
  | 'familyCardNumber'
  | 'headName'
  | 'wifeName'
  | 'villageCode'
  | 'rt'
  | 'rw'
  | 'welfarePriority'
  | 'period'
  | 'year'
  | 'round'
  | 'referenceDate'
  | keyof KrsTarget
  | keyof KrsFactors
  | 'kbModern'
  | 'importedFlag';

/** Header names seen in BKKBN/SIGA and Verval exports, normalised (lower case, letters and digits). */
export const FAMILY_HEADERS: Record<string, Field> = {
  nokk: 'familyCardNumber',
  nomorkk: 'familyCardNumber',
  kk: 'familyCardNumber',
  kodekeluarga: 'familyCardNumber',
  namakepalakeluarga: 'headName',
  kepalakeluarga: 'headName',
  namakk: 'headName',
  namaistri: 'wifeName',
  kodedesa: 'villageCode',
  kodekel: 'villageCode',
  kodekelurahan: 'villageCode',
  kodedesakel: 'villageCode',
  kodewilayah: 'villageCode',
  desa: 'villageCode',
  desakelurahan: 'villageCode',
  rt: 'rt',
  rw: 'rw',
  kesejahteraanprioritas: 'welfarePriority',
  periode: 'period',
  tahun: 'year',
  tahunrekap: 'year',
  semester: 'round',
  putaran: 'round',
  tanggalverval: 'referenceDate',
  tanggalkunjungan: 'referenceDate',
  pus: 'pus',
  pushamil: 'pusHamil',
  baduta: 'baduta',
  balita: 'balita',
  airtidaklayak: 'airTidakLayak',
  airminumtidaklayak: 'airTidakLayak',
  sumberairminumtidaklayak: 'airTidakLayak',
  jambantidaklayak: 'jambanTidakLayak',
  tidakmemilikijambansehat: 'jambanTidakLayak',
  terlalumuda: 'terlaluMuda',
  terlalutua: 'terlaluTua',
  terlaludekat: 'terlaluDekat',
  terlalubanyak: 'terlaluBanyak',
  bukanpesertakbmodern: 'nonKbModern',
  nonkbmodern: 'nonKbModern',
  kesertaankbmodern: 'kbModern',
  risikostunting: 'importedFlag',
  resikostunting: 'importedFlag',
  krs: 'importedFlag',
};

export function mapFamilyHeaders(headers: string[]): { columns: (Field | null)[]; missing: string[] } {
  const columns = headers.map((h) => FAMILY_HEADERS[normaliseHeader(h)] ?? null);
  const missing: string[] = [];
  for (const f of ['familyCardNumber', 'headName', 'villageCode'] as const) if (!columns.includes(f)) missing.push(f);
  if (!columns.includes('period') && !columns.includes('year')) missing.push('periode (or tahun)');
  return { columns, missing };
}

const YES = new Set(['1', 'Y', 'YA', 'V', 'TRUE', 'X', 'ADA']);
const NO = new Set(['', '0', '2', 'T', 'TIDAK', 'N', 'FALSE', '-']);

export function parseFamilyRow(columns: (Field | null)[], values: string[]): { row: FamilyImportRow } | { problems: FieldProblem[] } {
  const raw: Partial<Record<Field, string>> = {};
  columns.forEach((f, i) => {
    if (f) raw[f] = (values[i] ?? '').trim();
  });
  const problems: FieldProblem[] = [];
  const flag = (f: Field): boolean => {
    const v = (raw[f] ?? '').toUpperCase();
    if (YES.has(v)) return true;
    if (!NO.has(v)) problems.push({ field: f, reason: 'must be 1/0, Y/T or ya/tidak' });
    return false;
  };
  const kk = (raw.familyCardNumber ?? '').replace(/[\s.'-]/g, '');
  if (!kk) problems.push({ field: 'familyCardNumber', reason: 'is empty' });
  else if (!/^\d{16}$/.test(kk)) problems.push({ field: 'familyCardNumber', reason: 'must be 16 digits' });
  const headName = (raw.headName ?? '').replace(/\s+/g, ' ');
  if (!headName) problems.push({ field: 'headName', reason: 'is empty' });
  if (headName.length > 200) problems.push({ field: 'headName', reason: 'is longer than 200 characters' });
  // The same rule as the API's names: nothing that displays as another name, or as none.
  const headWhy = displayProblem(headName);
  if (headWhy) problems.push({ field: 'headName', reason: headWhy });
  const wifeWhy = raw.wifeName ? displayProblem(raw.wifeName) : null;
  if (wifeWhy) problems.push({ field: 'wifeName', reason: wifeWhy });
  const villageCode = (raw.villageCode ?? '').replace(/\./g, '');
  if (!/^\d{10}$/.test(villageCode)) problems.push({ field: 'villageCode', reason: 'must be a 10-digit village code' });
  const rtrw = (f: 'rt' | 'rw') => {
    const v = raw[f] ?? '';
    if (v === '') return null;
    if (!/^\d{1,3}$/.test(v)) problems.push({ field: f, reason: 'must be 1-3 digits' });
    return v;
  };
  const rt = rtrw('rt');
  const rw = rtrw('rw');
  const welfare = raw.welfarePriority ?? '';
  if (welfare !== '' && !/^[0-4]$/.test(welfare)) problems.push({ field: 'welfarePriority', reason: 'must be 0-4' });
  // periode: "2024", "2024-1", "2024/2", "2024 S2"; or tahun + semester.
  let year: number | null = null;
  let round: 1 | 2 = 1;
  const period = raw.period ?? '';
  const m = /^(\d{4})(?:\s*[-/ ]\s*(?:S|SEM|SEMESTER)?\s*([12]))?$/i.exec(period);
  if (period !== '' && m) {
    year = Number(m[1]);
    round = m[2] === '2' ? 2 : 1;
  } else if (period !== '') problems.push({ field: 'periode', reason: 'must be a year, optionally with the round (2024-2)' });
  if (year === null && raw.year !== undefined) {
    if (/^\d{4}$/.test(raw.year)) year = Number(raw.year);
    else problems.push({ field: 'year', reason: 'must be a 4-digit year' });
    const r = raw.round ?? '';
    if (r === '2') round = 2;
    else if (r !== '' && r !== '1') problems.push({ field: 'round', reason: 'must be 1 or 2' });
  }
  if (year === null && !problems.some((p) => p.field === 'periode' || p.field === 'year')) problems.push({ field: 'periode', reason: 'is empty' });
  if (year !== null && (year < 2015 || year > 2100)) problems.push({ field: 'periode', reason: 'must be a year from 2015' });
  let referenceDate: string | null = null;
  const rd = raw.referenceDate ?? '';
  if (rd !== '') {
    const d = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(rd);
    referenceDate = d ? `${d[3]}-${d[2].padStart(2, '0')}-${d[1].padStart(2, '0')}` : rd;
    if (!isRealDay(referenceDate)) problems.push({ field: 'referenceDate', reason: 'is not a date (DD/MM/YYYY)' });
  }
  const target: KrsTarget = { pus: flag('pus'), pusHamil: flag('pusHamil'), baduta: flag('baduta'), balita: flag('balita') };
  const nonKb = raw.nonKbModern !== undefined ? flag('nonKbModern') : raw.kbModern !== undefined && raw.kbModern !== '' ? !flag('kbModern') : false;
  const factors: KrsFactors = {
    airTidakLayak: flag('airTidakLayak'),
    jambanTidakLayak: flag('jambanTidakLayak'),
    terlaluMuda: flag('terlaluMuda'),
    terlaluTua: flag('terlaluTua'),
    terlaluDekat: flag('terlaluDekat'),
    terlaluBanyak: flag('terlaluBanyak'),
    nonKbModern: nonKb,
  };
  const imported = (raw.importedFlag ?? '').toUpperCase();
  const importedFlag = imported === '' ? null : YES.has(imported) ? true : NO.has(imported) ? false : undefined;
  if (importedFlag === undefined) problems.push({ field: 'importedFlag', reason: 'risiko_stunting must be V/1 (at risk), 2/0 (not) or empty' });
  if (problems.length) return { problems };
  return {
    row: {
      familyCardNumber: kk,
      headName,
      wifeName: raw.wifeName ? raw.wifeName.replace(/\s+/g, ' ').slice(0, 200) : null,
      villageCode,
      rt,
      rw,
      welfarePriority: welfare === '' ? 0 : Number(welfare),
      year: year!,
      round,
      referenceDate,
      target,
      factors,
      importedFlag: importedFlag ?? null,
    },
  };
}
