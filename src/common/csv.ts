/**
 * The one CSV writer: RFC 4180 quoting, and OWASP's rule against formula injection (a cell that
 * starts with =, +, -, @, tab or carriage return is prefixed with a quote so a spreadsheet shows
 * it as text instead of running it).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'string' ? value : String(value);
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",;\r\n]/.test(s) || s !== s.trim() ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvLine(cells: unknown[]): string {
  return cells.map(csvCell).join(',');
}

export function csvDocument(header: string[], rows: unknown[][]): string {
  return [csvLine(header), ...rows.map(csvLine)].join('\n') + '\n';
}
