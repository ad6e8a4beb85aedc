import type { MigrationInterface, QueryRunner } from 'typeorm';

const HISTORIES = ['case_history', 'task_history', 'intervention_history', 'accompaniment_history'];

/**
 * The workflow kernel records, on a history entry written as the effect of another aggregate's
 * event, what caused it (`{aggregate, id, event}`): the actor stays whoever started the chain,
 * and the entry no longer reads as that actor's own act.
 */
export class WorkflowKernel1764300000000 implements MigrationInterface {
  name = 'WorkflowKernel1764300000000';

  async up(q: QueryRunner): Promise<void> {
    for (const t of HISTORIES) {
      await q.query(`ALTER TABLE ${t} ADD COLUMN cause jsonb CONSTRAINT ck_${t}_cause CHECK (cause IS NULL OR (cause ? 'aggregate' AND cause ? 'id' AND cause ? 'event'))`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of HISTORIES) await q.query(`ALTER TABLE ${t} DROP COLUMN cause`);
  }
}
