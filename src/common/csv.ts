import { stringify } from 'csv-stringify/sync';

/**
 * The one CSV writer of the service (RFC 4180, `,` between cells, `\n` between records): every
 * CSV it answers goes through here. A text cell that a spreadsheet would run as a formula (one
 * starting with `=`, `+`, `-`, `@`, tab or carriage return, or their full-width forms) gets a
 * leading `'`, so it is shown as text (OWASP, CSV injection): csv-stringify's `escape_formulas`.
 * Numbers stay numbers (-1.5 is written as is); null and undefined are empty cells. Cells are
 * quoted when they must be, and also when they hold `;` (Excel in an Indonesian locale splits on
 * it) or start or end with white space.
 */
const OPTIONS = {
  escape_formulas: true,
  record_delimiter: '\n',
  eof: false,
  quoted_match: /[;\r]|^\s|\s$/,
  cast: {
    boolean: (b: boolean) => String(b),
    date: (d: Date) => d.toISOString(),
    object: (o: object) => JSON.stringify(o),
  },
} as const;

/** One cell, quoted and neutralised as in a record. */
export function csvCell(value: unknown): string {
  return csvLine([value]);
}

/** One record, without its line end. */
export function csvLine(cells: readonly unknown[]): string {
  // A record of one empty cell would be written as nothing at all; that is what an empty cell is.
  return stringify([cells as unknown[]], OPTIONS);
}

/** A header and its records, each ended by `\n`. */
export function csvDocument(header: readonly string[], rows: Iterable<readonly unknown[]>): string {
  let out = `${csvLine(header)}\n`;
  for (const row of rows) out += `${csvLine(row)}\n`;
  return out;
}
