import type ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { DomainError } from '../../common/errors/domain-error.js';

/** A file a district sends: what Excel saves (CSV of any locale) or an Excel workbook. */
export type TableFormat = 'csv' | 'xlsx';

/** One row of a sheet, its cells as text, with the row number a spreadsheet shows. */
export interface TableRecord {
  line: number;
  cells: string[];
}

/** A line longer than this is no e-PPGBM row: the file is refused before it can exhaust memory. */
export const MAX_RECORD_BYTES = 64 * 1024;

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0]; // Excel 97–2003 .xls

const startsWith = (buf: Buffer, magic: number[]) => magic.every((b, i) => buf[i] === b);

/**
 * What a file is, from its first bytes (never from its name, which a browser or a user may get
 * wrong): a ZIP is a workbook, text is CSV; anything else is refused with a hint.
 */
export async function sniffFormat(path: string): Promise<{ format: TableFormat } | { refused: string }> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(8192);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    const buf = head.subarray(0, bytesRead);
    if (bytesRead === 0) return { refused: 'the file is empty' };
    if (startsWith(buf, ZIP)) return { format: 'xlsx' };
    if (startsWith(buf, OLE)) return { refused: 'this is an old Excel file (.xls): save it as Excel Workbook (.xlsx) or CSV and upload again' };
    if (buf.includes(0)) return { refused: 'this is not a CSV or Excel (.xlsx) file: export the e-PPGBM data as .xlsx or CSV' };
    return { format: 'csv' };
  } finally {
    await fh.close();
  }
}

/**
 * The delimiter of a CSV, from its first line: the one of `;`, `,` and tab found most often
 * outside quotes. Excel under an Indonesian locale saves `;` (its decimal separator is `,`), so a
 * file has exactly one delimiter; `10,2` in a `;` file is a decimal, not two fields.
 */
export function sniffDelimiter(firstLine: string): ';' | ',' | '\t' {
  const counts = { ';': 0, ',': 0, '\t': 0 };
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in counts) counts[ch as keyof typeof counts] += 1;
  }
  if (counts[';'] >= counts[','] && counts[';'] >= counts['\t'] && counts[';'] > 0) return ';';
  if (counts['\t'] > counts[',']) return '\t';
  return ',';
}

async function firstLineOf(path: string): Promise<{ line: string; text: string }> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(MAX_RECORD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const text = buf.subarray(0, bytesRead).toString('utf8');
    const end = text.search(/\r?\n|\r/);
    return { line: end >= 0 ? text.slice(0, end) : text, text };
  } finally {
    await fh.close();
  }
}

/** Characters read at a time: a record never spans more than the carried remainder of the last read. */
const CSV_CHUNK_BYTES = 64 * 1024;

/**
 * The line ending to split on: `\n`, which also ends Excel's `\r\n` lines (the `\r` is trimmed off
 * the last cell), unless the file knows only `\r` (Excel for Mac's "CSV (Macintosh)").
 */
function newlineOf(text: string): '\n' | '\r' {
  return !text.includes('\n') && text.includes('\r') ? '\r' : '\n';
}

/**
 * The rows of a CSV, streamed: RFC 4180 quoting, BOM dropped, cells trimmed, empty rows (also
 * `;;;;`) skipped but counted, so `line` is the row a spreadsheet shows (a quoted line break stays
 * inside its cell, as in Excel). Papa Parse's parser reads each chunk with what was left of the
 * last; that remainder is the one unfinished record, so a record longer than MAX_RECORD_BYTES
 * (an unclosed quote, a file on one line) is refused before it can grow.
 */
async function* csvRecords(path: string): AsyncGenerator<TableRecord> {
  const head = await firstLineOf(path);
  const parser = new Papa.Parser({ delimiter: sniffDelimiter(head.line), newline: newlineOf(head.text) });
  let line = 0;
  let carry = '';
  let first = true;
  function* rowsOf(result: Papa.ParseResult<string[]>): Generator<TableRecord> {
    for (const raw of result.data) {
      line += 1;
      let bytes = 0;
      let empty = true;
      const cells = raw.map((c) => {
        bytes += c.length;
        const t = c.trim();
        if (t !== '') empty = false;
        return t;
      });
      if (bytes > MAX_RECORD_BYTES) throw tooLong(line);
      if (!empty) yield { line, cells };
    }
  }
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: CSV_CHUNK_BYTES }) as AsyncIterable<string>) {
    let text = carry + chunk;
    if (first) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const result = parser.parse(text, 0, true) as Papa.ParseResult<string[]>;
    carry = text.slice(result.meta.cursor);
    yield* rowsOf(result);
    if (carry.length > MAX_RECORD_BYTES) throw tooLong(line + 1);
  }
  if (first || carry === '') return;
  const last = parser.parse(carry, 0, false) as Papa.ParseResult<string[]>;
  if (last.errors.some((e) => e.code === 'MissingQuotes')) {
    throw new DomainError('VALIDATION_FAILED', `the file could not be read as CSV near line ${line + 1}: a quote is never closed`);
  }
  yield* rowsOf(last);
}

function tooLong(line: number): DomainError {
  return new DomainError('VALIDATION_FAILED', `line ${line} is longer than ${MAX_RECORD_BYTES / 1024} KiB: this is not an e-PPGBM file`);
}

/** An Excel cell as the text a district sees: dates as YYYY-MM-DD, numbers without float noise. */
export function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return Number.isInteger(v) ? v.toFixed(0) : String(Math.round(v * 1000) / 1000);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  // exceljs gives a date cell as the UTC midnight of its calendar day.
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('').trim();
    if ('result' in v) return cellText((v as { result?: ExcelJS.CellValue }).result ?? null);
    if ('text' in v) return String((v as { text: unknown }).text).trim();
    if ('error' in v) return '';
  }
  return String(v).trim();
}

/**
 * The rows of one sheet of a workbook, streamed with exceljs's WorkbookReader (shared strings and
 * styles are cached, so date-formatted cells arrive as dates); the first sheet unless one is named.
 */
async function* xlsxRecords(path: string, sheet?: string): AsyncGenerator<TableRecord> {
  // Loaded for the first workbook only: exceljs costs every process about 28 MiB that reads none.
  const { default: excel } = await import('exceljs');
  const reader = new excel.stream.xlsx.WorkbookReader(path, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  const seen: string[] = [];
  let found = false;
  try {
    for await (const ws of reader as AsyncIterable<ExcelJS.stream.xlsx.WorksheetReader & { name?: string }>) {
      const name = ws.name ?? '';
      seen.push(name);
      if (found || (sheet !== undefined && name.trim().toLowerCase() !== sheet.trim().toLowerCase())) {
        // Later sheets (or ones not asked for) are drained unread.
        for await (const row of ws) void row;
        continue;
      }
      found = true;
      for await (const row of ws as AsyncIterable<ExcelJS.Row>) {
        const values = row.values as ExcelJS.CellValue[];
        // row.values is 1-based: index 0 is empty.
        const cells = Array.from(values.slice(1), cellText);
        let bytes = 0;
        for (const c of cells) bytes += c.length;
        if (bytes > MAX_RECORD_BYTES) {
          throw new DomainError('VALIDATION_FAILED', `row ${row.number} is longer than ${MAX_RECORD_BYTES / 1024} KiB: this is not an e-PPGBM file`);
        }
        if (cells.some((c) => c !== '')) yield { line: row.number, cells };
      }
    }
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw new DomainError('VALIDATION_FAILED', 'the workbook could not be read: save it again as Excel Workbook (.xlsx) or CSV');
  }
  if (!found) {
    throw new DomainError(
      'VALIDATION_FAILED',
      sheet !== undefined ? `the workbook has no sheet named "${sheet}" (it has: ${seen.join(', ') || 'none'})` : 'the workbook has no sheet',
    );
  }
}

/** The rows of a file, streamed, whatever its format. */
export function readTable(path: string, format: TableFormat, opts: { sheet?: string } = {}): AsyncGenerator<TableRecord> {
  return format === 'xlsx' ? xlsxRecords(path, opts.sheet) : csvRecords(path);
}
