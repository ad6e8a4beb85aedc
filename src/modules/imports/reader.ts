import { parse } from 'csv-parse';
import { createReadStream } from 'node:fs';

/**
 * The records of an uploaded export, one string array per line: Excel's `;` CSVs as well as
 * `,` and tab, a BOM dropped, blank lines skipped, cells trimmed. Every import reads through it.
 */
export function readRecords(path: string): AsyncIterable<string[]> {
  return createReadStream(path).pipe(
    parse({ bom: true, delimiter: [',', ';', '\t'], relax_column_count: true, skip_empty_lines: true, trim: true }),
  ) as AsyncIterable<string[]>;
}
