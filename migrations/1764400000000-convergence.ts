import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DEFAULT_PACKAGE } from '../src/modules/convergence/package.js';

/**
 * Convergence scorecards (issue 18 part 2): the package of essential services per target group
 * as a versioned table per regency, the national defaults as its first row ('*'); indexes for
 * the set-based report (targets of a group by village; completed referral tasks by child).
 */
export class Convergence1764400000000 implements MigrationInterface {
  name = 'Convergence1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE convergence_packages (
        regency_code text NOT NULL CONSTRAINT ck_convergence_packages_regency CHECK (regency_code = '*' OR regency_code ~ '^[0-9]{4}$'),
        version integer NOT NULL CONSTRAINT ck_convergence_packages_version CHECK (version >= 1),
        body jsonb NOT NULL,
        source text,
        created_by uuid CONSTRAINT fk_convergence_packages_created_by REFERENCES users (id),
        created_at timestamptz NOT NULL,
        CONSTRAINT pk_convergence_packages PRIMARY KEY (regency_code, version)
      )`);
    // Perpres 72/2021 annex A indicators (domain brief §5.1) over the catalogue (§5.2); windows and due days unverified, as each item's basis says.
    await q.query(
      `INSERT INTO convergence_packages (regency_code, version, body, source, created_by, created_at) VALUES ('*', 1, $1::jsonb, $2, NULL, now())`,
      [JSON.stringify({ groups: DEFAULT_PACKAGE.groups }), 'Perpres 72/2021 lampiran (intervensi spesifik dan sensitif); windows and due days unverified (docs/convergence.md)'],
    );
    await q.query(`CREATE INDEX ix_subjects_group_village ON subjects (regency_code, target_group, village_code)`);
    await q.query(`CREATE INDEX ix_tasks_subject ON tasks (subject_id) WHERE subject_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_tasks_subject`);
    await q.query(`DROP INDEX ix_subjects_group_village`);
    await q.query(`DROP TABLE convergence_packages`);
  }
}
