/**
 * One record's select list, written once and read two ways: as columns of its own (`"prefix.field"`)
 * or, where a read joins several records, as one json column, which the driver sets up far more
 * cheaply than a column per field (pg builds a parser and a property per column of every result).
 */
export class RecordColumns<T> {
  /** `key`: a column every joined row has (absent, the record reads as null). */
  constructor(
    private readonly exprs: Record<keyof T & string, (alias: string) => string>,
    private readonly key = 'id',
  ) {}

  /** `expr AS "prefixfield", ...` */
  columns(alias: string, prefix = ''): string {
    return Object.entries(this.exprs)
      .map(([f, e]) => `${(e as (a: string) => string)(alias)} AS "${prefix}${f}"`)
      .join(', ');
  }

  /** One json value with the same fields and values, or NULL when the joined row is absent. */
  json(alias: string): string {
    const pairs = Object.entries(this.exprs).map(([f, e]) => `'${f}', ${(e as (a: string) => string)(alias)}`);
    return `CASE WHEN ${alias}.${this.key} IS NULL THEN NULL ELSE json_build_object(${pairs.join(', ')}) END`;
  }
}
