import { stringify } from 'csv-stringify/sync';

/**
 * The one CSV writer of the service (RFC 4180, `,` and `\n`): every CSV it answers goes through
 * here. Cells are quoted only when they must be, and a text cell that a spreadsheet would run
 * as a formula (one starting with `=`, `+`, `-`, `@`, tab or carriage return, or their
 * full-width forms) gets a leading `'` (OWASP, CSV injection), by csv-stringify's
 * `escape_formulas`. Numbers stay numbers: -1.5 is written as is. null and undefined are empty.
 */
const OPTIONS = {
  escape_formulas: true,
  record_delimiter: '\n',
  // A lone carriage return ends a line for some readers, though the record delimiter is \n.
  quoted_match: /\r/,
  cast: {
    boolean: (b: boolean) => String(b),
    date: (d: Date) => d.toISOString(),
    object: (o: object) => JSON.stringify(o),
  },
} as const;

/** One record, with its line end. */
export function csvLine(cells: readonly unknown[]): string {
  return stringify([cells as unknown[]], OPTIONS);
}

/** A header and its records. */
export function csvDocument(header: readonly string[], rows: Iterable<readonly unknown[]>): string {
  let out = csvLine(header);
  for (const row of rows) out += csvLine(row);
  return out;
}
