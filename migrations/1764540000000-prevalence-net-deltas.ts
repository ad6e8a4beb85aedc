import type { MigrationInterface, QueryRunner } from 'typeorm';
import { PREVALENCE_AFTER_MEASUREMENTS_V1 } from './1764410000000-prevalence.js';

const COUNTED = 'FROM regions GROUP BY 1, 2, 3 ORDER BY 1, 2, 3';
const NET_CHANGE = `FROM regions GROUP BY 1, 2, 3
         HAVING coalesce(sum(n) FILTER (WHERE band >= 0), 0) <> 0 OR coalesce(sum(n) FILTER (WHERE band >= 1), 0) <> 0
             OR coalesce(sum(n) FILTER (WHERE band = 2), 0) <> 0 OR coalesce(sum(n) FILTER (WHERE band = -1), 0) <> 0
         ORDER BY 1, 2, 3`;

/** Version 1's two count upserts, each keeping only the regions whose counts change. */
export function prevalenceAfterMeasurementsV2(): string {
  const parts = PREVALENCE_AFTER_MEASUREMENTS_V1.split(COUNTED);
  if (parts.length !== 3) throw new Error('prevalence_after_measurements v1 is not the text this migration was written against');
  return parts.join(NET_CHANGE).replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION');
}

/**
 * A child's second reading of a month that lands in the same band (the usual re-measurement)
 * moves a count by +1 and -1: version 1 still upserted its village's and regency's count rows,
 * and so held their row locks to the end of the writing transaction. Every reading of a regency
 * in that month then queued behind it (8 writers in one regency spent a third of their time
 * waiting on those two rows). Now a region whose counts do not change is not written, so only a
 * reading that changes a count takes that lock.
 */
export class PrevalenceNetDeltas1764540000000 implements MigrationInterface {
  name = 'PrevalenceNetDeltas1764540000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(prevalenceAfterMeasurementsV2());
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(PREVALENCE_AFTER_MEASUREMENTS_V1.replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION'));
  }
}
