import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Prevention upstream (domain-wave2 §1-2): families and their KRS assessments under a versioned
 * policy, the `tpk` role and TPK teams, accompaniments (a due visit per open target, a step in
 * step_deadlines), visits, bride-to-be screenings under a versioned threshold table, and frozen
 * monthly TPK reports.
 */
export class Prevention1764200000000 implements MigrationInterface {
  name = 'Prevention1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP CONSTRAINT ck_users_role`);
    await q.query(`ALTER TABLE users ADD CONSTRAINT ck_users_role
      CHECK (role IN ('admin', 'case_manager', 'auditor', 'opd_liaison', 'csr_partner', 'viewer', 'dpo', 'tpk'))`);
    await q.query(`ALTER TABLE step_deadlines DROP CONSTRAINT ck_step_deadlines_type`);
    await q.query(`ALTER TABLE step_deadlines ADD CONSTRAINT ck_step_deadlines_type
      CHECK (aggregate_type IN ('case', 'task', 'intervention', 'accompaniment'))`);
    await q.query(`ALTER TABLE imports DROP CONSTRAINT ck_imports_kind`);
    await q.query(`ALTER TABLE imports ADD CONSTRAINT ck_imports_kind CHECK (kind IN ('eppgbm', 'families'))`);
    // The visit schedule, the lapse ladder of due visits and who its rungs reach; null keeps the defaults.
    await q.query(`ALTER TABLE sla_policies ADD COLUMN visits jsonb`);

    await q.query(`
      CREATE TABLE families (
        id uuid PRIMARY KEY,
        regency_code text NOT NULL CONSTRAINT ck_families_regency_code CHECK (regency_code ~ '^[0-9]{4}$'),
        village_code text NOT NULL CONSTRAINT ck_families_village_code CHECK (village_code ~ '^[0-9]{10}$'),
        rt text CONSTRAINT ck_families_rt CHECK (rt ~ '^[0-9]{1,3}$'),
        rw text CONSTRAINT ck_families_rw CHECK (rw ~ '^[0-9]{1,3}$'),
        kk_enc bytea NOT NULL,
        kk_hash bytea NOT NULL,
        head_name text NOT NULL,
        wife_name text,
        welfare_priority smallint NOT NULL DEFAULT 0 CONSTRAINT ck_families_welfare CHECK (welfare_priority BETWEEN 0 AND 4),
        source text NOT NULL CONSTRAINT ck_families_source CHECK (source IN ('PK', 'VERVAL', 'MANUAL')),
        created_by uuid NOT NULL CONSTRAINT fk_families_created_by REFERENCES users (id),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        version integer NOT NULL DEFAULT 1,
        CONSTRAINT ck_families_village_in_regency CHECK (left(village_code, 4) = regency_code),
        -- A family card is one family per regency: imports and registrations meet on it.
        CONSTRAINT ux_families_regency_kk UNIQUE (regency_code, kk_hash)
      )`);
    await q.query(`CREATE INDEX ix_families_regency_village ON families (regency_code, village_code, id)`);

    await q.query(`
      CREATE TABLE family_members (
        id uuid PRIMARY KEY,
        family_id uuid NOT NULL CONSTRAINT fk_family_members_family REFERENCES families (id) ON DELETE CASCADE,
        regency_code text NOT NULL,
        subject_id uuid CONSTRAINT fk_family_members_subject REFERENCES subjects (id),
        relation text NOT NULL CONSTRAINT ck_family_members_relation CHECK (relation IN ('KK', 'ISTRI', 'ANAK', 'LAIN')),
        name text NOT NULL,
        sex char(1) CONSTRAINT ck_family_members_sex CHECK (sex IN ('M', 'F')),
        birth_date date,
        gest_weeks smallint CONSTRAINT ck_family_members_gest CHECK (gest_weeks BETWEEN 1 AND 42),
        gest_recorded_on date,
        delivered_on date,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT ck_family_members_gest_pair CHECK ((gest_weeks IS NULL) = (gest_recorded_on IS NULL))
      )`);
    // A subject belongs to at most one family.
    await q.query(`CREATE UNIQUE INDEX ux_family_members_subject ON family_members (subject_id) WHERE subject_id IS NOT NULL`);
    await q.query(`CREATE INDEX ix_family_members_family ON family_members (family_id)`);

    // Versioned rules per regency: a KRS policy, a screening threshold table. A row is never
    // changed; a new version is a new row, and every result records the version it was judged by.
    await q.query(`
      CREATE TABLE prevention_rules (
        regency_code text NOT NULL CONSTRAINT ck_prevention_rules_regency CHECK (regency_code ~ '^[0-9]{4}$'),
        kind text NOT NULL CONSTRAINT ck_prevention_rules_kind CHECK (kind IN ('krs', 'screening')),
        version integer NOT NULL CONSTRAINT ck_prevention_rules_version CHECK (version >= 1),
        body jsonb NOT NULL,
        created_by uuid NOT NULL CONSTRAINT fk_prevention_rules_created_by REFERENCES users (id),
        created_at timestamptz NOT NULL,
        CONSTRAINT pk_prevention_rules PRIMARY KEY (regency_code, kind, version)
      )`);

    await q.query(`
      CREATE TABLE krs_assessments (
        id uuid PRIMARY KEY,
        regency_code text NOT NULL,
        family_id uuid NOT NULL CONSTRAINT fk_krs_assessments_family REFERENCES families (id) ON DELETE CASCADE,
        village_code text NOT NULL,
        year smallint NOT NULL CONSTRAINT ck_krs_year CHECK (year BETWEEN 2015 AND 2100),
        round smallint NOT NULL CONSTRAINT ck_krs_round CHECK (round IN (1, 2)),
        reference_date date NOT NULL,
        source text NOT NULL CONSTRAINT ck_krs_source CHECK (source IN ('PK', 'VERVAL', 'ENGINE')),
        policy_version integer NOT NULL,
        pus boolean NOT NULL,
        pus_hamil boolean NOT NULL,
        baduta boolean NOT NULL,
        balita boolean NOT NULL,
        air_tidak_layak boolean NOT NULL,
        jamban_tidak_layak boolean NOT NULL,
        terlalu_muda boolean NOT NULL,
        terlalu_tua boolean NOT NULL,
        terlalu_dekat boolean NOT NULL,
        terlalu_banyak boolean NOT NULL,
        non_kb_modern boolean NOT NULL,
        imported_flag boolean,
        is_krs boolean NOT NULL,
        transition text NOT NULL CONSTRAINT ck_krs_transition CHECK (transition IN ('BARU', 'LAMA', 'KELUAR', 'TETAP_NON')),
        import_id uuid,
        created_by uuid NOT NULL CONSTRAINT fk_krs_assessments_created_by REFERENCES users (id),
        created_at timestamptz NOT NULL,
        CONSTRAINT ux_krs_family_period UNIQUE (regency_code, family_id, year, round)
      )`);
    // A family's periods, newest first: its page and the previous period a transition is computed against.
    await q.query(`CREATE INDEX ix_krs_family_period ON krs_assessments (family_id, year, round)`);
    await q.query(`CREATE INDEX ix_krs_regency_period_village ON krs_assessments (regency_code, year, round, village_code) WHERE is_krs`);

    await q.query(`
      CREATE TABLE tpk_teams (
        id uuid PRIMARY KEY,
        regency_code text NOT NULL CONSTRAINT ck_tpk_teams_regency CHECK (regency_code ~ '^[0-9]{4}$'),
        village_code text NOT NULL CONSTRAINT ck_tpk_teams_village CHECK (village_code ~ '^[0-9]{10}$'),
        name text NOT NULL,
        sk_ref text,
        coordinator_user_id uuid CONSTRAINT fk_tpk_teams_coordinator REFERENCES users (id),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        version integer NOT NULL DEFAULT 1,
        CONSTRAINT ck_tpk_teams_village_in_regency CHECK (left(village_code, 4) = regency_code)
      )`);
    await q.query(`CREATE INDEX ix_tpk_teams_regency_village ON tpk_teams (regency_code, village_code)`);
    await q.query(`
      CREATE TABLE tpk_members (
        team_id uuid NOT NULL CONSTRAINT fk_tpk_members_team REFERENCES tpk_teams (id) ON DELETE CASCADE,
        user_id uuid NOT NULL CONSTRAINT fk_tpk_members_user REFERENCES users (id),
        regency_code text NOT NULL,
        tpk_role text NOT NULL CONSTRAINT ck_tpk_members_role CHECK (tpk_role IN ('bidan', 'kader_pkk', 'kader_kb')),
        village_codes text[] NOT NULL CONSTRAINT ck_tpk_members_villages CHECK (cardinality(village_codes) >= 1),
        active boolean NOT NULL DEFAULT true,
        CONSTRAINT pk_tpk_members PRIMARY KEY (team_id, user_id)
      )`);
    await q.query(`CREATE INDEX ix_tpk_members_user ON tpk_members (user_id) WHERE active`);

    // An open target's accompaniment: its due visit is its step. A lifecycle like a case's.
    await q.query(`
      CREATE TABLE accompaniments (
        id uuid PRIMARY KEY,
        regency_code text NOT NULL,
        village_code text NOT NULL,
        subject_id uuid NOT NULL CONSTRAINT fk_accompaniments_subject REFERENCES subjects (id),
        family_id uuid CONSTRAINT fk_accompaniments_family REFERENCES families (id) ON DELETE SET NULL,
        target_group text NOT NULL CONSTRAINT ck_accompaniments_group CHECK (target_group IN ('CATIN', 'BUMIL', 'NIFAS', 'BADUTA')),
        state text NOT NULL CONSTRAINT ck_accompaniments_state CHECK (state IN ('open', 'closed')),
        machine_version integer NOT NULL,
        snapshot jsonb NOT NULL,
        version integer NOT NULL,
        -- The due visit's last day (local) and the instant it lapses: the step's deadline.
        due_on date,
        step_due_at timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT ck_accompaniments_due CHECK ((state = 'open') = (due_on IS NOT NULL) AND (due_on IS NULL) = (step_due_at IS NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX ux_accompaniments_open ON accompaniments (subject_id, target_group) WHERE state = 'open'`);
    await q.query(`CREATE INDEX ix_accompaniments_due ON accompaniments (regency_code, village_code, due_on) WHERE state = 'open'`);
    await q.query(`
      CREATE TABLE accompaniment_history (
        accompaniment_id uuid NOT NULL CONSTRAINT fk_accompaniment_history REFERENCES accompaniments (id),
        seq integer NOT NULL CONSTRAINT ck_accompaniment_history_seq CHECK (seq >= 1),
        regency_code text NOT NULL,
        type text NOT NULL,
        from_state text,
        to_state text NOT NULL,
        payload jsonb NOT NULL,
        actor_id uuid CONSTRAINT fk_accompaniment_history_actor REFERENCES users (id),
        actor_role text,
        machine_version integer NOT NULL,
        at timestamptz NOT NULL,
        CONSTRAINT pk_accompaniment_history PRIMARY KEY (accompaniment_id, seq)
      )`);
    await q.query(`
      CREATE FUNCTION accompaniment_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'accompaniment_history is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_accompaniment_history_append_only BEFORE UPDATE OR DELETE ON accompaniment_history
        FOR EACH ROW EXECUTE FUNCTION accompaniment_history_append_only()`);

    await q.query(`
      CREATE TABLE visits (
        id uuid PRIMARY KEY,
        regency_code text NOT NULL,
        village_code text NOT NULL,
        member_user_id uuid NOT NULL CONSTRAINT fk_visits_member REFERENCES users (id),
        team_id uuid CONSTRAINT fk_visits_team REFERENCES tpk_teams (id),
        family_id uuid CONSTRAINT fk_visits_family REFERENCES families (id),
        subject_id uuid CONSTRAINT fk_visits_subject REFERENCES subjects (id),
        accompaniment_id uuid CONSTRAINT fk_visits_accompaniment REFERENCES accompaniments (id),
        target_group text NOT NULL CONSTRAINT ck_visits_group CHECK (target_group IN ('CATIN', 'BUMIL', 'NIFAS', 'BADUTA', 'BALITA', 'PUS')),
        kind text NOT NULL CONSTRAINT ck_visits_kind CHECK (kind IN ('RUMAH', 'POSYANDU', 'VERVAL', 'TELEPON')),
        actions text[] NOT NULL,
        visited_on date NOT NULL,
        recorded_at timestamptz NOT NULL,
        report_month text NOT NULL CONSTRAINT ck_visits_report_month CHECK (report_month ~ '^[0-9]{4}-[0-9]{2}$'),
        late boolean NOT NULL,
        cross_village boolean NOT NULL,
        referral jsonb,
        notes text,
        measurement_id uuid,
        body_hash text NOT NULL,
        CONSTRAINT ck_visits_who CHECK (family_id IS NOT NULL OR subject_id IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX ix_visits_regency_village_day ON visits (regency_code, village_code, visited_on, id)`);
    await q.query(`CREATE INDEX ix_visits_report ON visits (regency_code, report_month, village_code)`);
    await q.query(`CREATE INDEX ix_visits_family ON visits (family_id) WHERE family_id IS NOT NULL`);
    await q.query(`CREATE INDEX ix_visits_subject ON visits (subject_id) WHERE subject_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE catin_screenings (
        id uuid PRIMARY KEY,
        regency_code text NOT NULL,
        subject_id uuid NOT NULL CONSTRAINT fk_catin_screenings_subject REFERENCES subjects (id),
        planned_marriage_date date NOT NULL,
        screened_on date NOT NULL,
        weight_kg numeric(5, 2) NOT NULL,
        height_cm numeric(5, 2) NOT NULL,
        bmi numeric(4, 1) NOT NULL,
        muac_cm numeric(4, 1) NOT NULL,
        waist_cm numeric(5, 1),
        hb_gdl numeric(4, 1),
        smoker boolean NOT NULL,
        age_years smallint NOT NULL,
        rule_version integer NOT NULL,
        result text NOT NULL CONSTRAINT ck_catin_screenings_result CHECK (result IN ('IDEAL', 'BERISIKO')),
        reasons text[] NOT NULL,
        created_by uuid NOT NULL CONSTRAINT fk_catin_screenings_created_by REFERENCES users (id),
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_catin_screenings_subject ON catin_screenings (subject_id, screened_on)`);

    // A month's TPK report as it stood when it froze; '' is the whole regency.
    await q.query(`
      CREATE TABLE tpk_report_freezes (
        regency_code text NOT NULL,
        village_code text NOT NULL,
        month text NOT NULL,
        body jsonb NOT NULL,
        frozen_at timestamptz NOT NULL,
        CONSTRAINT pk_tpk_report_freezes PRIMARY KEY (regency_code, village_code, month)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tpk_report_freezes`);
    await q.query(`DROP TABLE catin_screenings`);
    await q.query(`DROP TABLE visits`);
    await q.query(`DROP TABLE accompaniment_history`);
    await q.query(`DROP FUNCTION accompaniment_history_append_only()`);
    await q.query(`DROP TABLE accompaniments`);
    await q.query(`DROP TABLE tpk_members`);
    await q.query(`DROP TABLE tpk_teams`);
    await q.query(`DROP TABLE krs_assessments`);
    await q.query(`DROP TABLE prevention_rules`);
    await q.query(`DROP TABLE family_members`);
    await q.query(`DROP TABLE families`);
    await q.query(`DELETE FROM step_deadlines WHERE aggregate_type = 'accompaniment'`);
    await q.query(`ALTER TABLE step_deadlines DROP CONSTRAINT ck_step_deadlines_type`);
    await q.query(`ALTER TABLE step_deadlines ADD CONSTRAINT ck_step_deadlines_type CHECK (aggregate_type IN ('case', 'task', 'intervention'))`);
    await q.query(`ALTER TABLE sla_policies DROP COLUMN visits`);
    await q.query(`DELETE FROM import_rejections WHERE import_id IN (SELECT id FROM imports WHERE kind = 'families')`);
    await q.query(`DELETE FROM imports WHERE kind = 'families'`);
    await q.query(`ALTER TABLE imports DROP CONSTRAINT ck_imports_kind`);
    await q.query(`ALTER TABLE imports ADD CONSTRAINT ck_imports_kind CHECK (kind IN ('eppgbm'))`);
    await q.query(`DELETE FROM users WHERE role = 'tpk'`);
    await q.query(`ALTER TABLE users DROP CONSTRAINT ck_users_role`);
    await q.query(`ALTER TABLE users ADD CONSTRAINT ck_users_role
      CHECK (role IN ('admin', 'case_manager', 'auditor', 'opd_liaison', 'csr_partner', 'viewer', 'dpo'))`);
  }
}
