/*
 * PostgreSQL array literals for the unnest() parameters of bulk statements. pg's generic encoder
 * inspects and escapes every element, which cost an import about a tenth of its Node time; the
 * values below need at most quoting.
 */

export type PlainValue = string | number | boolean | Date | null | undefined;

/** uuids, numbers, booleans, ISO dates and Dates (as timestamptz): nothing in them needs quoting. */
export function plainArray(values: readonly PlainValue[]): string {
  return `{${values.map((v) => (v === null || v === undefined ? 'NULL' : v instanceof Date ? v.toISOString() : String(v))).join(',')}}`;
}

/** Free text: every element quoted, with its quotes and backslashes escaped. */
export function textArray(values: readonly (string | null | undefined)[]): string {
  return `{${values.map((v) => (v === null || v === undefined ? 'NULL' : `"${v.replace(/["\\]/g, '\\$&')}"`)).join(',')}}`;
}
