import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Real district files: an import remembers its format and how many rejection reasons it did not
 * keep (a hostile file must not fill the database); a child's finished cases are found by subject,
 * so catch-up readings and routine weighings after a resolution open no duplicate case.
 */
export class RealDistrictData1764100000000 implements MigrationInterface {
  name = 'RealDistrictData1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE imports ADD COLUMN format text, ADD COLUMN rejections_omitted integer NOT NULL DEFAULT 0`);
    // Partial: a transition of an open case never writes to it (only finishing or reopening does).
    await q.query(`ALTER TABLE sla_policies ADD COLUMN new_cases jsonb`);
    await q.query(`CREATE INDEX ix_cases_finished_subject ON cases (subject_id, updated_at) WHERE state IN ('resolved', 'closed')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_cases_finished_subject`);
    await q.query(`ALTER TABLE sla_policies DROP COLUMN new_cases`);
    await q.query(`ALTER TABLE imports DROP COLUMN rejections_omitted, DROP COLUMN format`);
  }
}
