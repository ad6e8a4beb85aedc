import { RecordColumns } from '../../database/record-columns.js';
import type { SubjectEntity } from './subject.entity.js';

/** What another module's view needs of a child: never its NIK or KK. */
export type SubjectSummaryRow = Pick<SubjectEntity, 'id' | 'name' | 'targetGroup' | 'sex' | 'birthDate' | 'villageCode' | 'regencyCode'>;

/**
 * A summary from `subjects`, for the subjects repository and the reads that join the child (a
 * case's or a task's command read). Join it with `restricted_at IS NULL`: a restricted child
 * reads as absent.
 */
export const SUBJECT_SUMMARY = new RecordColumns<SubjectSummaryRow>({
  id: (a) => `${a}.id`,
  name: (a) => `${a}.name`,
  targetGroup: (a) => `${a}.target_group`,
  sex: (a) => `${a}.sex`,
  birthDate: (a) => `${a}.birth_date::text`,
  villageCode: (a) => `${a}.village_code`,
  regencyCode: (a) => `${a}.regency_code`,
});
