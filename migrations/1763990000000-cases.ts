import type { MigrationInterface, QueryRunner } from 'typeorm';

const CAUSES: [string, string, string][] = [
  ['INADEQUATE_INTAKE', 'Asupan gizi tidak memadai', 'direct'],
  ['INFECTIOUS_DISEASE', 'Penyakit infeksi', 'direct'],
  ['FEEDING_PRACTICE', 'Pola asuh dan praktik pemberian makan', 'indirect'],
  ['HEALTH_SERVICE_ACCESS', 'Akses pelayanan kesehatan', 'indirect'],
  ['WATER_SANITATION', 'Air minum dan sanitasi', 'indirect'],
  ['FOOD_SECURITY', 'Ketahanan pangan rumah tangga', 'indirect'],
  ['POVERTY', 'Kemiskinan', 'indirect'],
  ['EDUCATION', 'Pendidikan', 'indirect'],
  ['MATERNAL_KEK', 'Kurang energi kronis (KEK) pada ibu', 'maternal'],
  ['MATERNAL_ANAEMIA', 'Anemia pada ibu', 'maternal'],
  ['MATERNAL_AGE_SPACING', 'Usia ibu dan jarak kehamilan', 'maternal'],
];

/** Cases as persisted lifecycles, their append-only history, SLA policies and the cause taxonomy. */
export class Cases1763990000000 implements MigrationInterface {
  name = 'Cases1763990000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE case_causes (
        code text PRIMARY KEY,
        name text NOT NULL,
        kind text NOT NULL CONSTRAINT ck_case_causes_kind CHECK (kind IN ('direct', 'indirect', 'maternal'))
      )`);
    await q.query(
      `INSERT INTO case_causes (code, name, kind) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`,
      [CAUSES.map((c) => c[0]), CAUSES.map((c) => c[1]), CAUSES.map((c) => c[2])],
    );

    await q.query(`
      CREATE TABLE sla_policies (
        regency_code text PRIMARY KEY CONSTRAINT ck_sla_policies_regency_code CHECK (regency_code ~ '^[0-9]{4}$'),
        days jsonb NOT NULL,
        outcome jsonb NOT NULL,
        updated_by uuid NOT NULL CONSTRAINT fk_sla_policies_updated_by REFERENCES users (id),
        updated_at timestamptz NOT NULL
      )`);

    await q.query(`
      CREATE TABLE cases (
        id uuid PRIMARY KEY,
        regency_code text NOT NULL CONSTRAINT ck_cases_regency_code CHECK (regency_code ~ '^[0-9]{4}$'),
        subject_id uuid NOT NULL CONSTRAINT fk_cases_subject REFERENCES subjects (id),
        village_code text NOT NULL,
        state text NOT NULL CONSTRAINT ck_cases_state
          CHECK (state IN ('identified', 'audited', 'intervened', 'remeasured', 'resolved', 'closed')),
        machine_version integer NOT NULL,
        snapshot jsonb NOT NULL,
        version integer NOT NULL CONSTRAINT ck_cases_version CHECK (version >= 1),
        source text NOT NULL CONSTRAINT ck_cases_source CHECK (source IN ('manual', 'eppgbm', 'referral')),
        assignee_id uuid CONSTRAINT fk_cases_assignee REFERENCES users (id),
        step_entered_at timestamptz NOT NULL,
        step_due_at timestamptz,
        opened_at timestamptz NOT NULL,
        opened_by uuid NOT NULL CONSTRAINT fk_cases_opened_by REFERENCES users (id),
        updated_at timestamptz NOT NULL,
        CONSTRAINT ck_cases_due_when_open CHECK ((state IN ('resolved', 'closed')) = (step_due_at IS NULL))
      )`);
    // A subject has at most one case that is not finished.
    await q.query(`CREATE UNIQUE INDEX ux_cases_open_subject ON cases (subject_id) WHERE state NOT IN ('resolved', 'closed')`);
    // The work queue, overdue queries and the escalation sweep to come read open steps by deadline.
    // Every transition moves step_due_at, so each index here costs every transition a write: keep few.
    await q.query(
      `CREATE INDEX ix_cases_open_due ON cases (regency_code, step_due_at, id) WHERE state NOT IN ('resolved', 'closed')`,
    );

    await q.query(`
      CREATE TABLE case_history (
        case_id uuid NOT NULL CONSTRAINT fk_case_history_case REFERENCES cases (id),
        seq integer NOT NULL CONSTRAINT ck_case_history_seq CHECK (seq >= 1),
        regency_code text NOT NULL,
        type text NOT NULL,
        from_state text,
        to_state text NOT NULL,
        payload jsonb NOT NULL,
        actor_id uuid CONSTRAINT fk_case_history_actor REFERENCES users (id),
        actor_role text,
        machine_version integer NOT NULL,
        at timestamptz NOT NULL,
        CONSTRAINT pk_case_history PRIMARY KEY (case_id, seq)
      )`);
    await q.query(`
      CREATE FUNCTION case_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'case_history is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_case_history_append_only BEFORE UPDATE OR DELETE ON case_history
        FOR EACH ROW EXECUTE FUNCTION case_history_append_only()`);
    await q.query(`
      CREATE TRIGGER tr_case_history_no_truncate BEFORE TRUNCATE ON case_history
        FOR EACH STATEMENT EXECUTE FUNCTION case_history_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE case_history`);
    await q.query(`DROP FUNCTION case_history_append_only()`);
    await q.query(`DROP TABLE cases`);
    await q.query(`DROP TABLE sla_policies`);
    await q.query(`DROP TABLE case_causes`);
  }
}
