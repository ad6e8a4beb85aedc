import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Referral tasks (issue 23): an early-warning flag (2T, BGM, faltering) of a child without a case
 * becomes an OPD task of its own, about the child rather than a case, with the reading that raised
 * it as evidence. At most one open referral per child.
 */
export class Referrals1764320000000 implements MigrationInterface {
  name = 'Referrals1764320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tasks ALTER COLUMN case_id DROP NOT NULL,
        ADD COLUMN subject_id uuid CONSTRAINT fk_tasks_subject REFERENCES subjects (id),
        ADD COLUMN evidence jsonb,
        ADD CONSTRAINT ck_tasks_case_or_subject CHECK ((case_id IS NULL) = (subject_id IS NOT NULL))`);
    await q.query(
      `CREATE UNIQUE INDEX ux_tasks_open_referral ON tasks (subject_id) WHERE subject_id IS NOT NULL AND state NOT IN ('verified', 'closed', 'cancelled')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    // Reverting drops the referrals with their history: the append-only trigger steps aside for it.
    await q.query(`ALTER TABLE task_history DISABLE TRIGGER tr_task_history_append_only`);
    await q.query(`DELETE FROM task_history WHERE task_id IN (SELECT id FROM tasks WHERE case_id IS NULL)`);
    await q.query(`ALTER TABLE task_history ENABLE TRIGGER tr_task_history_append_only`);
    await q.query(`DELETE FROM step_deadlines WHERE aggregate_type = 'task' AND aggregate_id IN (SELECT id FROM tasks WHERE case_id IS NULL)`);
    await q.query(`DELETE FROM tasks WHERE case_id IS NULL`);
    await q.query(`DROP INDEX ux_tasks_open_referral`);
    await q.query(`ALTER TABLE tasks DROP CONSTRAINT ck_tasks_case_or_subject, DROP COLUMN evidence, DROP COLUMN subject_id, ALTER COLUMN case_id SET NOT NULL`);
  }
}
