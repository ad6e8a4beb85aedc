import type { CaseState } from './machine/case.types.js';

/** What another lifecycle needs of a case: where it is, whose it is, and its dates. */
export interface CaseBrief {
  id: string;
  regencyCode: string;
  villageCode: string;
  subjectId: string;
  state: CaseState;
  version: number;
  assigneeId: string | null;
  identifiedAt: string;
  interventionStartedAt: string | null;
  lastMeasuredAt: string | null;
}

const FIELDS = ['id', 'regencyCode', 'villageCode', 'subjectId', 'state', 'version', 'assigneeId', 'identifiedAt', 'interventionStartedAt', 'lastMeasuredAt'] as const;

/** The brief a row read with caseBriefColumns(alias, prefix) holds. */
export function caseBriefOf(r: Record<string, unknown>, prefix = ''): CaseBrief {
  return Object.fromEntries(FIELDS.map((f) => [f, r[`${prefix}${f}`]])) as unknown as CaseBrief;
}

/**
 * The select list of a CaseBrief from `cases` under `alias`, with `prefix` before each field's
 * name: the cases repository reads briefs with it, and a task's command read joins its case's.
 */
export function caseBriefColumns(alias: string, prefix = ''): string {
  const f = (name: string) => `"${prefix}${name}"`;
  return `${alias}.id AS ${f('id')}, ${alias}.regency_code AS ${f('regencyCode')}, ${alias}.village_code AS ${f('villageCode')},
          ${alias}.subject_id AS ${f('subjectId')}, ${alias}.state AS ${f('state')}, ${alias}.version AS ${f('version')},
          ${alias}.assignee_id AS ${f('assigneeId')}, ${alias}.snapshot->'context'->>'identifiedAt' AS ${f('identifiedAt')},
          ${alias}.snapshot->'context'->>'interventionStartedAt' AS ${f('interventionStartedAt')},
          ${alias}.snapshot->'context'->>'lastMeasuredAt' AS ${f('lastMeasuredAt')}`;
}
