import type { MigrationInterface, QueryRunner } from 'typeorm';

/** e-PPGBM imports: progress, and the rows that could not be taken with their reasons. */
export class Imports1764010000000 implements MigrationInterface {
  name = 'Imports1764010000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE imports (
        id uuid PRIMARY KEY,
        regency_code text NOT NULL CONSTRAINT ck_imports_regency_code CHECK (regency_code ~ '^[0-9]{4}$'),
        kind text NOT NULL CONSTRAINT ck_imports_kind CHECK (kind IN ('eppgbm')),
        file_name text NOT NULL,
        status text NOT NULL CONSTRAINT ck_imports_status CHECK (status IN ('queued', 'running', 'done', 'failed')),
        rows_read integer NOT NULL DEFAULT 0,
        rows_taken integer NOT NULL DEFAULT 0,
        rows_duplicate integer NOT NULL DEFAULT 0,
        rows_rejected integer NOT NULL DEFAULT 0,
        cases_opened integer NOT NULL DEFAULT 0,
        cases_remeasured integer NOT NULL DEFAULT 0,
        error text,
        created_by uuid NOT NULL CONSTRAINT fk_imports_created_by REFERENCES users (id),
        created_at timestamptz NOT NULL,
        finished_at timestamptz
      )`);
    await q.query(`CREATE INDEX ix_imports_regency_created ON imports (regency_code, created_at)`);
    await q.query(`
      CREATE TABLE import_rejections (
        import_id uuid NOT NULL CONSTRAINT fk_import_rejections_import REFERENCES imports (id) ON DELETE CASCADE,
        row_number integer NOT NULL,
        field text NOT NULL,
        reason text NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_import_rejections_import ON import_rejections (import_id, row_number)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE import_rejections`);
    await q.query(`DROP TABLE imports`);
  }
}
