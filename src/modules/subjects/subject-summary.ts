import type { SubjectEntity } from './subject.entity.js';

/** What another module's view needs of a child: never its NIK or KK. */
export type SubjectSummaryRow = Pick<SubjectEntity, 'id' | 'name' | 'targetGroup' | 'sex' | 'birthDate' | 'villageCode' | 'regencyCode'>;

const FIELDS = ['id', 'name', 'targetGroup', 'sex', 'birthDate', 'villageCode', 'regencyCode'] as const;

/**
 * The select list of a summary from `subjects` under `alias`, with `prefix` before each field's
 * name, for reads that join the child (a case's or a task's command read). Join it with
 * `restricted_at IS NULL`: a restricted child reads as absent.
 */
export function subjectSummaryColumns(alias: string, prefix = ''): string {
  const f = (name: string) => `"${prefix}${name}"`;
  return `${alias}.id AS ${f('id')}, ${alias}.name AS ${f('name')}, ${alias}.target_group AS ${f('targetGroup')}, ${alias}.sex AS ${f('sex')},
          ${alias}.birth_date::text AS ${f('birthDate')}, ${alias}.village_code AS ${f('villageCode')}, ${alias}.regency_code AS ${f('regencyCode')}`;
}

/** The summary a row read with subjectSummaryColumns(alias, prefix) holds, or null when the join found none. */
export function subjectSummaryOf(r: Record<string, unknown>, prefix = ''): SubjectSummaryRow | null {
  if (r[`${prefix}id`] == null) return null;
  return Object.fromEntries(FIELDS.map((f) => [f, r[`${prefix}${f}`]])) as unknown as SubjectSummaryRow;
}
