import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SATUSEHAT/FHIR export: a regency's receiver settings (client secret sealed like a NIK), the
 * export outbox (one row per reading to send, written in the reading's transaction), and the
 * mother's NIK of a child without one (sealed and hashed like the NIK), by which such a child is
 * known to the national platform.
 */
export class FhirExport1764120000000 implements MigrationInterface {
  name = 'FhirExport1764120000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE subjects ADD COLUMN mother_nik_enc bytea, ADD COLUMN mother_nik_hash bytea,
        ADD CONSTRAINT ck_subjects_mother_nik_pair CHECK ((mother_nik_enc IS NULL) = (mother_nik_hash IS NULL))`);
    await q.query(`
      CREATE TABLE fhir_export_settings (
        regency_code text PRIMARY KEY CONSTRAINT ck_fhir_export_settings_regency_code CHECK (regency_code ~ '^[0-9]{4}$'),
        enabled boolean NOT NULL,
        base_url text NOT NULL,
        token_url text NOT NULL,
        client_id text NOT NULL,
        client_secret_enc bytea NOT NULL,
        organization_id text NOT NULL,
        zscore_system text,
        updated_by uuid NOT NULL CONSTRAINT fk_fhir_export_settings_updated_by REFERENCES users (id),
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE fhir_exports (
        id uuid PRIMARY KEY,
        regency_code text NOT NULL CONSTRAINT ck_fhir_exports_regency_code CHECK (regency_code ~ '^[0-9]{4}$'),
        measurement_id uuid NOT NULL CONSTRAINT fk_fhir_exports_measurement REFERENCES measurements (id),
        kind text NOT NULL CONSTRAINT ck_fhir_exports_kind CHECK (kind IN ('create', 'correction')),
        status text NOT NULL CONSTRAINT ck_fhir_exports_status CHECK (status IN ('pending', 'sent', 'invalid', 'dead')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        last_error text,
        created_at timestamptz NOT NULL,
        sent_at timestamptz,
        CONSTRAINT ck_fhir_exports_pending CHECK ((status = 'pending') = (next_attempt_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX ix_fhir_exports_due ON fhir_exports (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX ix_fhir_exports_regency_created ON fhir_exports (regency_code, created_at, id)`);
    await q.query(`CREATE INDEX ix_fhir_exports_measurement ON fhir_exports (measurement_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE fhir_exports`);
    await q.query(`DROP TABLE fhir_export_settings`);
    await q.query(`ALTER TABLE subjects DROP CONSTRAINT ck_subjects_mother_nik_pair, DROP COLUMN mother_nik_hash, DROP COLUMN mother_nik_enc`);
  }
}
