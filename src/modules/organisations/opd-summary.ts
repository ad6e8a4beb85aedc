/** What another module needs of an OPD: which one, its name, and who heads it. */
export interface OpdSummary {
  id: string;
  regencyCode: string;
  code: string;
  name: string;
  headUserId: string | null;
}

const FIELDS = ['id', 'regencyCode', 'code', 'name', 'headUserId'] as const;

/** The select list of a summary from `opds` under `alias`, each field's name after `prefix`, for reads that join an OPD. */
export function opdSummaryColumns(alias: string, prefix = ''): string {
  const f = (name: string) => `"${prefix}${name}"`;
  return `${alias}.id AS ${f('id')}, ${alias}.regency_code AS ${f('regencyCode')}, ${alias}.code AS ${f('code')}, ${alias}.name AS ${f('name')},
          ${alias}.head_user_id AS ${f('headUserId')}`;
}

/** The summary a row read with opdSummaryColumns(alias, prefix) holds, or null when the join found none. */
export function opdSummaryOf(r: Record<string, unknown>, prefix = ''): OpdSummary | null {
  if (r[`${prefix}id`] == null) return null;
  return Object.fromEntries(FIELDS.map((f) => [f, r[`${prefix}${f}`]])) as unknown as OpdSummary;
}
