// The scheduler is killed after it claims a batch of escalations and before it commits. Every
// claimed rung fires exactly once after the restart.
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { adminQuery, check, secrets, SERVER, startService, stopService } from './lib.mjs';

const DB = 'tuntas_fault_sweep';
const DUE = 2000;

export async function sweepCrash() {
  console.log('fault: the sweep dies between claiming a batch and committing it');
  await adminQuery(SERVER, `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await adminQuery(SERVER, `CREATE DATABASE ${DB}`);
  const env = { ...secrets(), DATABASE_URL: `${SERVER}/${DB}`, DB_POOL_SIZE: '4' };
  const db = new pg.Client({ connectionString: env.DATABASE_URL });
  try {
    await stopService(await startService(env, 3923)); // migrates the database
    await db.connect();
    await db.query(
      `INSERT INTO step_deadlines (aggregate_type, aggregate_id, regency_code, village_code, step, step_seq, entered_at, due_at, next_rung, next_rung_at)
       SELECT 'case', gen_random_uuid(), '3216', '3216062005', 'identified', 1, now() - interval '31 days', d, 1, d
         FROM (SELECT now() - interval '1 hour' - i * interval '1 second' AS d FROM generate_series(1, ${DUE}) i) s`,
    );
    const run = (mode) => spawnSync(process.execPath, ['test/faults/sweep-child.mjs', mode], { env: { ...process.env, ...env }, encoding: 'utf8' });
    const crashed = run('crash');
    check(crashed.signal === 'SIGKILL', 'the sweeper died mid-batch (SIGKILL after the claim)');
    const count = async (sql) => Number((await db.query(sql)).rows[0].n);
    check((await count(`SELECT count(*) AS n FROM escalations`)) === 0, 'nothing of the dead batch was committed');
    check((await count(`SELECT count(*) AS n FROM step_deadlines WHERE next_rung = 1`)) === DUE, 'its claimed steps are due again, their locks released');
    const first = run('sweep');
    check(first.status === 0 && Number(first.stdout.trim()) === DUE, `the restarted sweep fires every claimed rung (${first.stdout.trim()} of ${DUE})`);
    const second = run('sweep');
    check(second.status === 0 && Number(second.stdout.trim()) === 0, 'a further sweep fires nothing');
    check((await count(`SELECT count(*) AS n FROM escalations`)) === DUE, `escalations recorded = ${DUE}, once each`);
    check((await count(`SELECT count(DISTINCT (aggregate_id, step_seq, level)) AS n FROM escalations`)) === DUE, 'no rung recorded twice');
  } finally {
    await db.end().catch(() => undefined);
    await adminQuery(SERVER, `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  }
}
