import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail (hash-chained per regency, append-only), the DPO role, restriction of
 * processing, and retention of finished cases.
 */
export class Audit1764050000000 implements MigrationInterface {
  name = 'Audit1764050000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_log (
        regency_code text NOT NULL,
        seq bigint NOT NULL CONSTRAINT ck_audit_log_seq CHECK (seq >= 1),
        at timestamptz NOT NULL,
        actor_id uuid,
        actor_role text,
        action text NOT NULL,
        entity_type text,
        entity_id uuid,
        subject_id uuid,
        purpose text,
        request_id text,
        details jsonb NOT NULL,
        prev_hash bytea NOT NULL,
        hash bytea NOT NULL,
        CONSTRAINT pk_audit_log PRIMARY KEY (regency_code, seq)
      )`);
    // "Who accessed this child's records between T1 and T2", "what did this user do", by time.
    await q.query(`CREATE INDEX ix_audit_log_subject ON audit_log (subject_id, at) WHERE subject_id IS NOT NULL`);
    await q.query(`CREATE INDEX ix_audit_log_listed ON audit_log USING gin ((details -> 'subjectIds')) WHERE details ? 'subjectIds'`);
    await q.query(`CREATE INDEX ix_audit_log_actor ON audit_log (actor_id, at)`);
    await q.query(`CREATE INDEX ix_audit_log_regency_at ON audit_log (regency_code, at)`);
    await q.query(`CREATE INDEX ix_audit_log_at ON audit_log (at)`);
    await q.query(`
      CREATE TABLE audit_heads (
        regency_code text PRIMARY KEY,
        seq bigint NOT NULL,
        hash bytea NOT NULL
      )`);
    await q.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
    await q.query(`
      CREATE TRIGGER tr_audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
    // Roles other than the owner get no way to rewrite it either.
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC`);

    await q.query(`ALTER TABLE users DROP CONSTRAINT ck_users_role`);
    await q.query(`ALTER TABLE users ADD CONSTRAINT ck_users_role
      CHECK (role IN ('admin', 'case_manager', 'auditor', 'opd_liaison', 'csr_partner', 'viewer', 'dpo'))`);
    await q.query(`ALTER TABLE users DROP CONSTRAINT ck_users_scope`);
    await q.query(`ALTER TABLE users ADD CONSTRAINT ck_users_scope CHECK (role IN ('admin', 'dpo') OR regency_code IS NOT NULL)`);

    await q.query(`ALTER TABLE subjects ADD COLUMN restricted_at timestamptz, ADD COLUMN restriction_reason text, ADD COLUMN anonymised_at timestamptz`);
    await q.query(`ALTER TABLE sla_policies ADD COLUMN retention_years integer`);

    // Retention may strip free text from finished cases' history; nothing else may touch it.
    await q.query(`
      CREATE OR REPLACE FUNCTION case_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND current_setting('tuntas.retention', true) = 'on'
           AND NEW.case_id = OLD.case_id AND NEW.seq = OLD.seq AND NEW.type = OLD.type AND NEW.to_state = OLD.to_state THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'case_history is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION case_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'case_history is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`ALTER TABLE sla_policies DROP COLUMN retention_years`);
    await q.query(`ALTER TABLE subjects DROP COLUMN restricted_at, DROP COLUMN restriction_reason, DROP COLUMN anonymised_at`);
    await q.query(`DELETE FROM users WHERE role = 'dpo'`);
    await q.query(`ALTER TABLE users DROP CONSTRAINT ck_users_scope`);
    await q.query(`ALTER TABLE users ADD CONSTRAINT ck_users_scope CHECK (role = 'admin' OR regency_code IS NOT NULL)`);
    await q.query(`ALTER TABLE users DROP CONSTRAINT ck_users_role`);
    await q.query(`ALTER TABLE users ADD CONSTRAINT ck_users_role
      CHECK (role IN ('admin', 'case_manager', 'auditor', 'opd_liaison', 'csr_partner', 'viewer'))`);
    await q.query(`DROP TABLE audit_heads`);
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP FUNCTION audit_log_append_only()`);
  }
}
