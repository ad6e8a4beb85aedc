import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import { EXCEL_COLUMNS, EXCEL_HEADER, generateEppgbm, generateExcelRows, HEADER } from '../../bench/gen-eppgbm.js';
import type { TestApp } from './test-app.js';

/** A generated e-PPGBM file in memory, with the field each bad row must be rejected for. */
export async function eppgbmFile(rows: number, seed = 7): Promise<{ csv: Buffer; faults: Map<number, string> }> {
  const lines = [HEADER];
  const faults = new Map<number, string>();
  for await (const row of generateEppgbm({ rows, seed })) {
    lines.push(row.line);
    if (row.fault) faults.set(lines.length, row.fault); // spreadsheet row number: the header is row 1
  }
  return { csv: Buffer.from(`${lines.join('\n')}\n`), faults };
}

/**
 * What Excel saves from an e-PPGBM export under an Indonesian locale: a BOM, `;`, CRLF, decimal
 * commas never quoted, DD/MM/YYYY, village and kecamatan names, derived columns.
 */
export async function excelCsvFile(rows: number, seed = 7): Promise<{ csv: Buffer; faults: Map<number, string> }> {
  const lines = [EXCEL_HEADER];
  const faults = new Map<number, string>();
  for await (const row of generateExcelRows({ rows, seed })) {
    lines.push(row.line);
    if (row.fault) faults.set(lines.length, row.fault);
  }
  return { csv: Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`), faults };
}

/**
 * The same export as an Excel workbook: dates as date cells (some typed as text), numbers as
 * numbers, written with exceljs's streaming writer.
 */
export async function xlsxFile(rows: number, seed = 7): Promise<{ xlsx: Buffer; faults: Map<number, string> }> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useSharedStrings: true, useStyles: true });
  const ws = wb.addWorksheet('Data Balita');
  ws.addRow(EXCEL_COLUMNS).commit();
  const faults = new Map<number, string>();
  let n = 1;
  for await (const row of generateExcelRows({ rows, seed })) {
    n += 1;
    if (row.fault) faults.set(n, row.fault);
    const cells = EXCEL_COLUMNS.map((c) => {
      const v = row.cells[c];
      if ((c === 'Tgl Lahir' || c === 'Tanggal Pengukuran') && /^\d{2}\/\d{2}\/\d{4}$/.test(v) && n % 3 !== 0) {
        const d = new Date(Date.UTC(Number(v.slice(6)), Number(v.slice(3, 5)) - 1, Number(v.slice(0, 2))));
        if (d.getUTCDate() === Number(v.slice(0, 2))) return d;
      }
      if (/^\d{1,3},\d$/.test(v) && !c.startsWith('ZS')) return Number(v.replace(',', '.'));
      return v;
    });
    const r = ws.addRow(cells);
    for (const c of [4, 13]) if (r.getCell(c).value instanceof Date) r.getCell(c).numFmt = 'dd/mm/yyyy';
    r.commit();
  }
  ws.commit();
  await wb.commit();
  return { xlsx: Buffer.concat(chunks), faults };
}

/** Uploads and waits for the import to finish; returns its final status. */
export async function importFile(
  t: TestApp,
  headers: Record<string, string>,
  file: Buffer,
  regencyCode = '3216',
  opts: { name?: string; fields?: Record<string, string> } = {},
) {
  let req = t.http().post('/api/v1/imports/eppgbm').set(headers).field('regencyCode', regencyCode);
  for (const [k, v] of Object.entries(opts.fields ?? {})) req = req.field(k, v);
  const started = await req.attach('file', file, opts.name ?? 'eppgbm.csv');
  if (started.status !== 202) throw new Error(`upload: ${started.status} ${JSON.stringify(started.body)}`);
  return waitForImport(t, headers, started.body.id as string);
}

export async function waitForImport(t: TestApp, headers: Record<string, string>, id: string) {
  for (;;) {
    const res = await t.http().get(`/api/v1/imports/${id}`).set(headers);
    if (res.body.status === 'done' || res.body.status === 'failed') return res.body;
    await new Promise((r) => setTimeout(r, 100));
  }
}
