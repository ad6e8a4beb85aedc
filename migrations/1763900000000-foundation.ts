import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Users and roles, OPDs, CSR sponsors and subjects. Written for PostgreSQL 15 (PGlite is 18). */
export class Foundation1763900000000 implements MigrationInterface {
  name = 'Foundation1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE opds (
        id uuid PRIMARY KEY,
        regency_code text NOT NULL CONSTRAINT ck_opds_regency_code CHECK (regency_code ~ '^[0-9]{4}$'),
        code text NOT NULL CONSTRAINT ck_opds_code CHECK (code ~ '^[A-Z0-9_]{2,32}$'),
        name text NOT NULL,
        head_user_id uuid,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT ux_opds_regency_code_code UNIQUE (regency_code, code)
      )`);

    await q.query(`
      CREATE TABLE sponsors (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        type text NOT NULL CONSTRAINT ck_sponsors_type
          CHECK (type IN ('company', 'bumn', 'bumd', 'individual', 'ngo', 'baznas', 'university', 'media')),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_sponsors_name ON sponsors (name, id)`);
    await q.query(`
      CREATE TABLE sponsor_regencies (
        regency_code text NOT NULL CONSTRAINT ck_sponsor_regencies_regency_code CHECK (regency_code ~ '^[0-9]{4}$'),
        sponsor_id uuid NOT NULL CONSTRAINT fk_sponsor_regencies_sponsor REFERENCES sponsors (id) ON DELETE CASCADE,
        CONSTRAINT pk_sponsor_regencies PRIMARY KEY (regency_code, sponsor_id)
      )`);
    await q.query(`CREATE INDEX ix_sponsor_regencies_sponsor ON sponsor_regencies (sponsor_id)`);

    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        username text NOT NULL CONSTRAINT ck_users_username CHECK (username ~ '^[a-z0-9._-]{3,64}$'),
        password_hash text NOT NULL,
        display_name text NOT NULL,
        role text NOT NULL CONSTRAINT ck_users_role
          CHECK (role IN ('admin', 'case_manager', 'auditor', 'opd_liaison', 'csr_partner', 'viewer')),
        regency_code text CONSTRAINT ck_users_regency_code CHECK (regency_code ~ '^[0-9]{4}$'),
        opd_id uuid CONSTRAINT fk_users_opd REFERENCES opds (id),
        sponsor_id uuid CONSTRAINT fk_users_sponsor REFERENCES sponsors (id),
        active boolean NOT NULL DEFAULT true,
        token_version integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT ux_users_username UNIQUE (username),
        CONSTRAINT ck_users_scope CHECK (role = 'admin' OR regency_code IS NOT NULL),
        CONSTRAINT ck_users_opd_binding CHECK ((role = 'opd_liaison') = (opd_id IS NOT NULL)),
        CONSTRAINT ck_users_sponsor_binding CHECK ((role = 'csr_partner') = (sponsor_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX ix_users_regency_username ON users (regency_code, username)`);
    await q.query(`ALTER TABLE opds ADD CONSTRAINT fk_opds_head_user FOREIGN KEY (head_user_id) REFERENCES users (id)`);

    await q.query(`
      CREATE TABLE subjects (
        id uuid PRIMARY KEY,
        regency_code text NOT NULL CONSTRAINT ck_subjects_regency_code CHECK (regency_code ~ '^[0-9]{4}$'),
        village_code text NOT NULL CONSTRAINT ck_subjects_village_code CHECK (village_code ~ '^[0-9]{10}$'),
        target_group text NOT NULL CONSTRAINT ck_subjects_target_group
          CHECK (target_group IN ('BALITA', 'BADUTA', 'IBU_HAMIL', 'IBU_NIFAS', 'CATIN')),
        name text NOT NULL,
        name_key text COLLATE "C" GENERATED ALWAYS AS (lower(name)) STORED,
        sex char(1) NOT NULL CONSTRAINT ck_subjects_sex CHECK (sex IN ('M', 'F')),
        birth_date date NOT NULL,
        nik_enc bytea,
        nik_hash bytea,
        family_card_enc bytea,
        family_card_hash bytea,
        mother_name text,
        posyandu text,
        address text,
        created_by uuid NOT NULL CONSTRAINT fk_subjects_created_by REFERENCES users (id),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        version integer NOT NULL DEFAULT 1,
        CONSTRAINT ck_subjects_village_in_regency CHECK (left(village_code, 4) = regency_code),
        CONSTRAINT ck_subjects_nik_pair CHECK ((nik_enc IS NULL) = (nik_hash IS NULL)),
        CONSTRAINT ck_subjects_family_card_pair CHECK ((family_card_enc IS NULL) = (family_card_hash IS NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX ux_subjects_regency_nik ON subjects (regency_code, nik_hash) WHERE nik_hash IS NOT NULL`);
    await q.query(`CREATE INDEX ix_subjects_regency_name ON subjects (regency_code, name_key, id)`);
    await q.query(`CREATE INDEX ix_subjects_regency_village_name ON subjects (regency_code, village_code, name_key, id)`);
    await q.query(`CREATE INDEX ix_subjects_regency_family_card ON subjects (regency_code, family_card_hash) WHERE family_card_hash IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE subjects`);
    await q.query(`ALTER TABLE opds DROP CONSTRAINT fk_opds_head_user`);
    await q.query(`DROP TABLE users`);
    await q.query(`DROP TABLE sponsor_regencies`);
    await q.query(`DROP TABLE sponsors`);
    await q.query(`DROP TABLE opds`);
  }
}
