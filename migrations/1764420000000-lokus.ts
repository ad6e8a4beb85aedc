import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lokus (priority) villages per regency and year, set by a decree (SK Bupati/Wali Kota), and the
 * indexes the daily lokus watch counts from. A new decree for the same regency and year replaces
 * the set: the old set stays in lokus_sets with replaced_at, so every earlier set is retrievable.
 */
export class Lokus1764420000000 implements MigrationInterface {
  name = 'Lokus1764420000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE lokus_sets (
        id uuid PRIMARY KEY,
        regency_code text NOT NULL CONSTRAINT ck_lokus_sets_regency CHECK (regency_code ~ '^[0-9]{4}$'),
        year smallint NOT NULL CONSTRAINT ck_lokus_sets_year CHECK (year BETWEEN 2018 AND 2100),
        decree_ref text NOT NULL,
        reasons text[] NOT NULL DEFAULT '{}',
        village_codes text[] NOT NULL CONSTRAINT ck_lokus_sets_villages CHECK (cardinality(village_codes) >= 1),
        set_by uuid NOT NULL CONSTRAINT fk_lokus_sets_set_by REFERENCES users (id),
        set_at timestamptz NOT NULL,
        replaced_at timestamptz,
        replaced_by uuid CONSTRAINT fk_lokus_sets_replaced_by REFERENCES lokus_sets (id) DEFERRABLE INITIALLY DEFERRED,
        CONSTRAINT ck_lokus_sets_replaced CHECK ((replaced_at IS NULL) = (replaced_by IS NULL))
      )`);
    // One set in force per regency and year (the old set names its successor before that is inserted: the key is deferred); the history of a year is read newest first.
    await q.query(`CREATE UNIQUE INDEX ux_lokus_sets_current ON lokus_sets (regency_code, year) WHERE replaced_at IS NULL`);
    await q.query(`CREATE INDEX ix_lokus_sets_history ON lokus_sets (regency_code, year, set_at)`);

    // The set in force, one row per village: what the watch joins against.
    await q.query(`
      CREATE TABLE lokus_villages (
        regency_code text NOT NULL,
        year smallint NOT NULL,
        village_code text NOT NULL CONSTRAINT ck_lokus_villages_village CHECK (village_code ~ '^[0-9]{10}$'),
        set_id uuid NOT NULL CONSTRAINT fk_lokus_villages_set REFERENCES lokus_sets (id),
        CONSTRAINT pk_lokus_villages PRIMARY KEY (regency_code, year, village_code),
        CONSTRAINT ck_lokus_villages_in_regency CHECK (left(village_code, 4) = regency_code)
      )`);

    // The watch reads each count as a range of (regency, village, …) for the lokus villages only,
    // never a regency's whole table: at national 1/10 scale a regency holds ~900 open cases and
    // thousands of open steps, and the watch must answer within 10x a primary-key read.
    await q.query(`CREATE INDEX ix_cases_open_village ON cases (regency_code, village_code, state) WHERE state NOT IN ('resolved', 'closed')`);
    await q.query(`CREATE INDEX ix_step_deadlines_village_due ON step_deadlines (regency_code, village_code, due_at, aggregate_type)`);
    // A pregnancy's first day of the last menstrual period (LMP + 280 days is the expected delivery):
    // the watch reads the pregnancies due within 30 days as one LMP range per regency.
    await q.query(
      `CREATE INDEX ix_family_members_lmp ON family_members (regency_code, (gest_recorded_on - 7 * gest_weeks)) WHERE gest_weeks IS NOT NULL`,
    );
    await q.query(`CREATE INDEX ix_catin_screenings_at_risk ON catin_screenings (regency_code, planned_marriage_date) WHERE result = 'BERISIKO'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_catin_screenings_at_risk`);
    await q.query(`DROP INDEX ix_family_members_lmp`);
    await q.query(`DROP INDEX ix_step_deadlines_village_due`);
    await q.query(`DROP INDEX ix_cases_open_village`);
    await q.query(`DROP TABLE lokus_villages`);
    await q.query(`DROP TABLE lokus_sets`);
  }
}
