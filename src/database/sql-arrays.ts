/*
 * PostgreSQL array literals for the unnest() parameters of bulk statements. pg's generic encoder
 * inspects and escapes every element, which cost an import about a tenth of its Node time; the
 * values below need at most quoting.
 */

export type PlainValue = string | number | boolean | Date | null | undefined;

/** uuids, numbers, booleans, ISO dates and Dates (as timestamptz): nothing in them needs quoting. */
export function plainArray(values: readonly PlainValue[]): string {
  let s = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i) s += ',';
    s += v === null || v === undefined ? 'NULL' : v instanceof Date ? v.toISOString() : String(v);
  }
  return `${s}}`;
}

/** Free text: every element quoted, with its quotes and backslashes escaped. */
export function textArray(values: readonly (string | null | undefined)[]): string {
  let s = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i) s += ',';
    s += v === null || v === undefined ? 'NULL' : `"${v.replace(/["\\]/g, '\\$&')}"`;
  }
  return `${s}}`;
}
