import { RecordColumns } from '../../database/record-columns.js';

/** What another module needs of an OPD: which one, its name, and who heads it. */
export interface OpdSummary {
  id: string;
  regencyCode: string;
  code: string;
  name: string;
  headUserId: string | null;
}

/** An OPD summary from `opds`, for reads that join a task's OPD. */
export const OPD_SUMMARY = new RecordColumns<OpdSummary>({
  id: (a) => `${a}.id`,
  regencyCode: (a) => `${a}.regency_code`,
  code: (a) => `${a}.code`,
  name: (a) => `${a}.name`,
  headUserId: (a) => `${a}.head_user_id`,
});
