import { RecordColumns } from '../../database/record-columns.js';
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

/**
 * A CaseBrief from `cases`: the cases repository reads briefs with it, and a task's command read
 * joins its case's (as json).
 */
export const CASE_BRIEF = new RecordColumns<CaseBrief>({
  id: (a) => `${a}.id`,
  regencyCode: (a) => `${a}.regency_code`,
  villageCode: (a) => `${a}.village_code`,
  subjectId: (a) => `${a}.subject_id`,
  state: (a) => `${a}.state`,
  version: (a) => `${a}.version`,
  assigneeId: (a) => `${a}.assignee_id`,
  identifiedAt: (a) => `${a}.snapshot->'context'->>'identifiedAt'`,
  interventionStartedAt: (a) => `${a}.snapshot->'context'->>'interventionStartedAt'`,
  lastMeasuredAt: (a) => `${a}.snapshot->'context'->>'lastMeasuredAt'`,
});
