import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The 8 Aksi Konvergensi year (issue 19, parts 1-2): the assessment cycle per year and region (a
 * province's, which its regencies inherit, or a regency's own), and the evidence documents as a
 * lifecycle on the workflow kernel with their file versions. File bodies live on disk (or an
 * object store), named by their sha256: the table holds only what describes them.
 */
export class Aksi1764500000000 implements MigrationInterface {
  name = 'Aksi1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE aksi_cycles (
        year integer NOT NULL CONSTRAINT ck_aksi_cycles_year CHECK (year BETWEEN 2018 AND 2100),
        -- A province (2 digits) or a regency (4 digits).
        region_code text NOT NULL CONSTRAINT ck_aksi_cycles_region CHECK (region_code ~ '^[0-9]{2}([0-9]{2})?$'),
        upload_deadline date NOT NULL,
        verification_date date NOT NULL,
        assessment_date date NOT NULL,
        weights jsonb NOT NULL,
        scored_actions integer[] NOT NULL,
        updated_by uuid NOT NULL CONSTRAINT fk_aksi_cycles_user REFERENCES users (id),
        updated_at timestamptz NOT NULL,
        CONSTRAINT pk_aksi_cycles PRIMARY KEY (year, region_code),
        CONSTRAINT ck_aksi_cycles_order CHECK (upload_deadline <= verification_date AND verification_date <= assessment_date)
      )`);
    await q.query(`
      CREATE TABLE aksi_documents (
        id uuid PRIMARY KEY,
        regency_code text NOT NULL,
        year integer NOT NULL,
        action integer NOT NULL CONSTRAINT ck_aksi_documents_action CHECK (action BETWEEN 1 AND 8),
        type text NOT NULL CONSTRAINT ck_aksi_documents_type CHECK (type IN
          ('situation_analysis', 'activity_plan', 'rembuk_minutes', 'perbup', 'kpm_decree', 'publication', 'review_report', 'other')),
        title text NOT NULL,
        owner_opd_id uuid NOT NULL CONSTRAINT fk_aksi_documents_opd REFERENCES opds (id),
        state text NOT NULL CONSTRAINT ck_aksi_documents_state CHECK (state IN ('draft', 'ready', 'uploaded', 'revision_requested', 'accepted')),
        machine_version integer NOT NULL,
        snapshot jsonb NOT NULL,
        version integer NOT NULL,
        step_due_at timestamptz,
        created_by uuid NOT NULL CONSTRAINT fk_aksi_documents_user REFERENCES users (id),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_aksi_documents_year ON aksi_documents (regency_code, year, action, created_at)`);
    await q.query(`
      CREATE TABLE aksi_document_history (
        document_id uuid NOT NULL CONSTRAINT fk_aksi_document_history REFERENCES aksi_documents (id),
        seq integer NOT NULL CONSTRAINT ck_aksi_document_history_seq CHECK (seq >= 1),
        regency_code text NOT NULL,
        type text NOT NULL,
        from_state text,
        to_state text NOT NULL,
        payload jsonb NOT NULL,
        actor_id uuid CONSTRAINT fk_aksi_document_history_actor REFERENCES users (id),
        actor_role text,
        machine_version integer NOT NULL,
        at timestamptz NOT NULL,
        cause jsonb CONSTRAINT ck_aksi_document_history_cause CHECK (cause IS NULL OR (cause ? 'aggregate' AND cause ? 'id' AND cause ? 'event')),
        CONSTRAINT pk_aksi_document_history PRIMARY KEY (document_id, seq)
      )`);
    await q.query(`
      CREATE FUNCTION aksi_document_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'aksi_document_history is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_aksi_document_history_append_only BEFORE UPDATE OR DELETE ON aksi_document_history
        FOR EACH ROW EXECUTE FUNCTION aksi_document_history_append_only()`);
    await q.query(`
      CREATE TABLE aksi_document_versions (
        document_id uuid NOT NULL CONSTRAINT fk_aksi_document_versions REFERENCES aksi_documents (id),
        n integer NOT NULL CONSTRAINT ck_aksi_document_versions_n CHECK (n >= 1),
        sha256 text NOT NULL CONSTRAINT ck_aksi_document_versions_sha CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        size bigint NOT NULL CONSTRAINT ck_aksi_document_versions_size CHECK (size >= 0),
        content_type text NOT NULL,
        filename text NOT NULL,
        uploaded_by uuid NOT NULL CONSTRAINT fk_aksi_document_versions_user REFERENCES users (id),
        uploaded_at timestamptz NOT NULL,
        CONSTRAINT pk_aksi_document_versions PRIMARY KEY (document_id, n)
      )`);
    await q.query(`ALTER TABLE step_deadlines DROP CONSTRAINT ck_step_deadlines_type`);
    await q.query(`ALTER TABLE step_deadlines ADD CONSTRAINT ck_step_deadlines_type
      CHECK (aggregate_type IN ('case', 'task', 'intervention', 'accompaniment', 'aksi_document'))`);
    // The evidence ladder climbs before the upload deadline (negative days); null: the default.
    await q.query(`ALTER TABLE sla_policies ADD COLUMN aksi jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sla_policies DROP COLUMN aksi`);
    await q.query(`DELETE FROM step_deadlines WHERE aggregate_type = 'aksi_document'`);
    await q.query(`ALTER TABLE step_deadlines DROP CONSTRAINT ck_step_deadlines_type`);
    await q.query(`ALTER TABLE step_deadlines ADD CONSTRAINT ck_step_deadlines_type
      CHECK (aggregate_type IN ('case', 'task', 'intervention', 'accompaniment'))`);
    await q.query(`DROP TABLE aksi_document_versions`);
    await q.query(`DROP TABLE aksi_document_history`);
    await q.query(`DROP FUNCTION aksi_document_history_append_only()`);
    await q.query(`DROP TABLE aksi_documents`);
    await q.query(`DROP TABLE aksi_cycles`);
  }
}
