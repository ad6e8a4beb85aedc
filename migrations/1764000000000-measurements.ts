import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Growth measurements with their WHO z-scores. */
export class Measurements1764000000000 implements MigrationInterface {
  name = 'Measurements1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE measurements (
        id uuid PRIMARY KEY,
        regency_code text NOT NULL CONSTRAINT ck_measurements_regency_code CHECK (regency_code ~ '^[0-9]{4}$'),
        subject_id uuid NOT NULL CONSTRAINT fk_measurements_subject REFERENCES subjects (id),
        measured_on date NOT NULL,
        age_days integer NOT NULL CONSTRAINT ck_measurements_age CHECK (age_days >= 0),
        weight_kg double precision CONSTRAINT ck_measurements_weight CHECK (weight_kg BETWEEN 0.9 AND 58),
        height_cm double precision CONSTRAINT ck_measurements_height CHECK (height_cm BETWEEN 38 AND 150),
        method text CONSTRAINT ck_measurements_method CHECK (method IN ('recumbent', 'standing')),
        muac_cm double precision,
        head_cm double precision,
        oedema boolean NOT NULL DEFAULT false,
        length_height_cm double precision,
        haz double precision,
        waz double precision,
        whz double precision,
        flags text[] NOT NULL DEFAULT '{}',
        needs_remeasurement boolean NOT NULL,
        source text NOT NULL CONSTRAINT ck_measurements_source CHECK (source IN ('manual', 'eppgbm')),
        case_id uuid CONSTRAINT fk_measurements_case REFERENCES cases (id),
        created_by uuid NOT NULL CONSTRAINT fk_measurements_created_by REFERENCES users (id),
        created_at timestamptz NOT NULL,
        -- The same reading of the same child on the same day is one measurement (re-imports add nothing).
        CONSTRAINT ux_measurements_reading UNIQUE NULLS NOT DISTINCT (subject_id, measured_on, weight_kg, height_cm, method)
      )`);
    await q.query(`CREATE INDEX ix_measurements_regency_subject ON measurements (regency_code, subject_id, measured_on)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE measurements`);
  }
}
