import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Province and nation (issue 18, part 5): a user may be bound to a province instead of a regency.
 * Such a user is a viewer or an admin; a viewer bound to neither is a national viewer. Both see
 * aggregates only (the service refuses every by-name route to them).
 */
export class ProvinceScope1764430000000 implements MigrationInterface {
  name = 'ProvinceScope1764430000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users
        ADD COLUMN province_code text CONSTRAINT ck_users_province_code CHECK (province_code ~ '^[0-9]{2}$'),
        ADD CONSTRAINT ck_users_one_region CHECK (province_code IS NULL OR regency_code IS NULL),
        ADD CONSTRAINT ck_users_province_roles CHECK (province_code IS NULL OR role IN ('viewer', 'admin'))`);
    await q.query(`ALTER TABLE users DROP CONSTRAINT ck_users_scope`);
    await q.query(`ALTER TABLE users ADD CONSTRAINT ck_users_scope CHECK (role IN ('admin', 'dpo', 'viewer') OR regency_code IS NOT NULL)`);
    await q.query(`CREATE INDEX ix_users_province_username ON users (province_code, username) WHERE province_code IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM users WHERE province_code IS NOT NULL OR (role = 'viewer' AND regency_code IS NULL)`);
    await q.query(`DROP INDEX ix_users_province_username`);
    await q.query(`ALTER TABLE users DROP CONSTRAINT ck_users_scope`);
    await q.query(`ALTER TABLE users ADD CONSTRAINT ck_users_scope CHECK (role IN ('admin', 'dpo') OR regency_code IS NOT NULL)`);
    await q.query(`ALTER TABLE users DROP CONSTRAINT ck_users_province_roles, DROP CONSTRAINT ck_users_one_region, DROP COLUMN province_code`);
  }
}
