// Escalation sweep against pgbench's 1-row UPDATE on the same PostgreSQL server, in the same run
// (targets.md P4a-c). Seeds BENCH_OPEN (default 1,000,000) open case and task steps, 10,000 of
// them due, times one sweep, then doubles the open steps and times the same 10,000 again.
//   npm run bench:sweep
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { adminQuery } from './pg-admin.mjs';

const PG = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432';
const OPEN = Number(process.env.BENCH_OPEN ?? 1_000_000);
const DUE = Number(process.env.BENCH_DUE ?? 10_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const DB = 'tuntas_bench_sweep';
const PGBENCH_DB = 'tuntas_bench_pgbench';
const REGENCY = '3216';
const VILLAGE = '3216062005';
const pgUrl = new URL(PG);
const pgArgs = ['-h', pgUrl.hostname, '-p', pgUrl.port || '5432', '-U', decodeURIComponent(pgUrl.username) || 'postgres'];
const admin = (sql) => adminQuery(PG, sql);

/** B_upd8: pgbench custom script `UPDATE pgbench_accounts SET abalance = abalance + 1 WHERE aid = :random`, 8 clients. */
function pgbenchUpdateTps() {
  execFileSync('pgbench', [...pgArgs, '-i', '-q', '-s', '10', PGBENCH_DB], { stdio: 'ignore' });
  const script = '/tmp/tuntas-bench-update.sql';
  writeFileSync(script, '\\set aid random(1, 100000 * :scale)\nUPDATE pgbench_accounts SET abalance = abalance + 1 WHERE aid = :aid;\n');
  const out = execFileSync('pgbench', [...pgArgs, '-M', 'prepared', '-c', '8', '-j', '2', '-T', String(SECONDS), '-f', script, PGBENCH_DB]).toString();
  const m = /tps = ([\d.]+)/.exec(out);
  if (!m) throw new Error(`no tps in pgbench output:\n${out}`);
  return Number(m[1]);
}

/**
 * `n` open cases, each with one open task, and a deadline row for each (2n steps), all due in
 * the future. Set-based, as a month of e-PPGBM imports and audits would leave them.
 */
async function seedOpen(db, n, { managerId, opdId }) {
  const cases = Math.ceil(n / 2);
  await db.query(`
    CREATE TEMP TABLE seed AS
      SELECT gen_random_uuid() AS subject_id, gen_random_uuid() AS case_id, gen_random_uuid() AS task_id,
             now() + (random() * interval '30 days') + interval '1 day' AS due
        FROM generate_series(1, ${cases})`);
  await db.query(`
    INSERT INTO subjects (id, regency_code, village_code, target_group, name, sex, birth_date, created_by, created_at, updated_at)
    SELECT subject_id, '${REGENCY}', '${VILLAGE}', 'BALITA', 'Anak ' || left(subject_id::text, 8), 'F', date '2024-06-01', $1, now(), now() FROM seed`, [managerId]);
  await db.query(`
    INSERT INTO cases (id, regency_code, subject_id, village_code, state, machine_version, snapshot, version, source, assignee_id,
                       step_entered_at, step_due_at, opened_at, opened_by, updated_at)
    SELECT case_id, '${REGENCY}', subject_id, '${VILLAGE}', 'audited', 1,
           jsonb_build_object('value', 'audited', 'context', jsonb_build_object('identifiedAt', '2026-01-02T00:00:00.000Z')),
           2, 'eppgbm', $1, now(), due, now(), $1, now() FROM seed`, [managerId]);
  await db.query(`
    INSERT INTO tasks (id, regency_code, case_id, opd_id, action, state, machine_version, snapshot, version, ack_due_at, due_at, step_due_at,
                       created_by, created_at, updated_at)
    SELECT task_id, '${REGENCY}', case_id, $2, 'PMT lokal 90 hari', 'assigned', 1,
           jsonb_build_object('value', 'assigned', 'context', jsonb_build_object('assignedAt', now())),
           1, due, due + interval '14 days', due, $1, now(), now() FROM seed`, [managerId, opdId]);
  await db.query(`
    INSERT INTO step_deadlines (aggregate_type, aggregate_id, regency_code, village_code, opd_id, step, step_seq, entered_at, due_at, next_rung, next_rung_at)
    SELECT 'case', case_id, '${REGENCY}', '${VILLAGE}', NULL::uuid, 'audited', 2, now(), due, 1, due FROM seed
    UNION ALL
    SELECT 'task', task_id, '${REGENCY}', '${VILLAGE}', $1::uuid, 'acknowledge', 1, now(), due, 1, due FROM seed`, [opdId]);
  await db.query(`DROP TABLE seed`);
}

/** Makes `DUE` steps (half cases, half tasks) due an hour ago, with no rung fired yet. */
async function armDue(db) {
  await db.query(`DELETE FROM notifications`);
  await db.query(`DELETE FROM escalations`);
  await db.query(`
    UPDATE step_deadlines d SET due_at = now() - interval '1 hour', next_rung_at = now() - interval '1 hour', next_rung = 1, last_level = 0
      FROM ((SELECT aggregate_type, aggregate_id FROM step_deadlines WHERE aggregate_type = 'case' ORDER BY aggregate_id LIMIT ${DUE / 2})
            UNION ALL
            (SELECT aggregate_type, aggregate_id FROM step_deadlines WHERE aggregate_type = 'task' ORDER BY aggregate_id LIMIT ${DUE / 2})) x
     WHERE d.aggregate_type = x.aggregate_type AND d.aggregate_id = x.aggregate_id`);
  await db.query('VACUUM ANALYZE');
}

const PROBE = `SELECT aggregate_type, aggregate_id FROM step_deadlines
  WHERE next_rung_at IS NOT NULL AND next_rung_at <= now() ORDER BY next_rung_at LIMIT 500 FOR UPDATE SKIP LOCKED`;

await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
await admin(`CREATE DATABASE ${DB}`);
await admin(`DROP DATABASE IF EXISTS ${PGBENCH_DB} WITH (FORCE)`);
await admin(`CREATE DATABASE ${PGBENCH_DB}`);
const db = new pg.Client({ connectionString: `${PG}/${DB}` });
let ctx;
try {
  const updTps = pgbenchUpdateTps();
  Object.assign(process.env, {
    DATABASE_URL: `${PG}/${DB}`,
    DB_POOL_SIZE: '10',
    JWT_SECRET: randomBytes(32).toString('hex'),
    NIK_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    NIK_HMAC_KEY: randomBytes(32).toString('hex'),
    ADMIN_PASSWORD: 'bench-admin-password',
    LOG_LEVEL: 'warn',
    ESCALATION_SWEEP_INTERVAL_SECONDS: '0',
    NOTIFICATION_DELIVERY_INTERVAL_SECONDS: '0',
  });
  const { NestFactory } = await import('@nestjs/core');
  const { AppModule } = await import('../dist/src/app.module.js');
  const { EscalationSweeper } = await import('../dist/src/modules/escalation/escalation.sweeper.js');
  const { OpdsService } = await import('../dist/src/modules/organisations/opds.service.js');
  const { UsersRepository } = await import('../dist/src/modules/identity/users.repository.js');
  ctx = await NestFactory.createApplicationContext(AppModule, { logger: false });
  const adminUser = await ctx.get(UsersRepository).findByUsername('admin');
  const national = { userId: adminUser.id, username: 'admin', displayName: 'Administrator', role: 'admin', regencyCode: null, opdId: null, sponsorId: null };
  await ctx.get(OpdsService).seed(national, REGENCY);
  await db.connect();
  const [{ id: opdId }] = (await db.query(`SELECT id FROM opds WHERE regency_code = $1 AND code = 'DINKES'`, [REGENCY])).rows;
  const managerId = adminUser.id;
  await db.query(
    `INSERT INTO users (id, username, password_hash, display_name, role, regency_code, opd_id, active, created_at, updated_at)
     SELECT gen_random_uuid(), 'liaison' || i, 'x', 'Liaison ' || i, 'opd_liaison', $1, $2, true, now(), now() FROM generate_series(1, 2) i`,
    [REGENCY, opdId],
  );
  const sweeper = ctx.get(EscalationSweeper);

  const timeSweep = async () => {
    await armDue(db);
    const t = performance.now();
    const { fired } = await sweeper.sweep();
    const seconds = (performance.now() - t) / 1000;
    if (fired !== DUE) throw new Error(`the sweep fired ${fired}, not ${DUE}`);
    return seconds;
  };

  let t = performance.now();
  await seedOpen(db, OPEN, { managerId, opdId });
  const seed1 = (performance.now() - t) / 1000;
  await armDue(db);
  const plan = (await db.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${PROBE}`)).rows.map((r) => r['QUERY PLAN']);
  await db.query('ROLLBACK').catch(() => undefined);
  const at1 = await timeSweep();

  t = performance.now();
  await seedOpen(db, OPEN, { managerId, opdId });
  const seed2 = (performance.now() - t) / 1000;
  const at2 = await timeSweep();
  const [{ notifications }] = (await db.query(`SELECT count(*)::int AS notifications FROM notifications`)).rows;

  const rate = DUE / at1;
  console.log(`PostgreSQL at ${pgUrl.host}; ${DUE.toLocaleString('en')} due steps (half case steps, half OPD task steps)`);
  console.log(`seeded ${OPEN.toLocaleString('en')} open steps in ${seed1.toFixed(0)} s, then ${(2 * OPEN).toLocaleString('en')} in ${seed2.toFixed(0)} s more`);
  console.log('\nThe due-row probe (one sweep batch) with %s open steps:', OPEN.toLocaleString('en'));
  for (const line of plan) console.log(`  ${line}`);
  if (plan.some((l) => /Seq Scan/.test(l))) console.log('  !! the probe reads the table (Seq Scan)');
  else console.log('  -> no Seq Scan: an index scan of due rows only');
  console.log('');
  console.log(`B_upd8  pgbench 1-row UPDATE, 8 clients, -M prepared   ${updTps.toFixed(0).padStart(7)} TPS`);
  console.log(`P4b  escalations/s, one sweeper, ${OPEN.toLocaleString('en')} open    ${rate.toFixed(0).padStart(7)}/s   ${(rate / updTps).toFixed(2)} x B_upd8 (target >= 0.30)`);
  console.log(`     (${notifications.toLocaleString('en')} in-app notifications written with the second run's escalations)`);
  console.log(`P4c  sweep of ${DUE.toLocaleString('en')} due: ${at1.toFixed(2)} s at ${OPEN.toLocaleString('en')} open, ${at2.toFixed(2)} s at ${(2 * OPEN).toLocaleString('en')} open: ${(at2 / at1).toFixed(2)} x (target <= 1.2)`);
} finally {
  await ctx?.close();
  await db.end().catch(() => undefined);
  await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin(`DROP DATABASE IF EXISTS ${PGBENCH_DB} WITH (FORCE)`);
}
