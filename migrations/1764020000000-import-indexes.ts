import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drops ix_measurements_regency_subject. Every reader of measurements by child (the growth
 * series, the outcome evidence, the import's recent lengths) is served by ux_measurements_reading,
 * which leads with subject_id; the extra index only cost every insert a third index write (about a
 * quarter of a bulk import's insert time).
 */
export class ImportIndexes1764020000000 implements MigrationInterface {
  name = 'ImportIndexes1764020000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_measurements_regency_subject`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix_measurements_regency_subject ON measurements (regency_code, subject_id, measured_on)`);
  }
}
