// Workflow transitions against pgbench TPC-B on the same PostgreSQL server, in the same run
// (targets.md P1, P2). 8 workers drive transitions on their own cases for BENCH_SECONDS each:
//   1. pgbench TPC-B, 8 clients, -M prepared           → B_tpcb8
//   2. service layer: the kernel's apply() in-process     → target >= 0.43 x B_tpcb8
//   3. over HTTP: POST /api/v1/tasks/:id/events          → target >= 0.25 x B_tpcb8
//   4. P3: a case transition over HTTP at half the case mix's HTTP rate, paced (open loop)
//      → p99 <= 10 x TPC-B's average latency at 32 clients
// BENCH_NODE_FLAGS passes V8/Node flags to the service (an A/B of a runtime setting).
// targets.md defines P1 and P2 on a TPC-B-shaped transition (read, version check, next state,
// one conditional write with its history entry and step): here OPD tasks walked assigned →
// acknowledged → in progress → done → verified, on the kernel and over HTTP. Beside it, the case
// mix alternates a plain step with a re-measurement that stores a WHO-scored reading with its
// trend codes and flags (10 statements): heavier than TPC-B's shape, printed for tracking.
//   npm run bench:transitions   (BENCH_PG=postgres://postgres@127.0.0.1:5432 by default)
import 'reflect-metadata';
import { execFileSync, spawn } from 'node:child_process';
import nodeHttp from 'node:http';
import { randomBytes } from 'node:crypto';
import { adminQuery } from './pg-admin.mjs';

const PG = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const WORKERS = 8;
// targets.md measures P2 with 32 HTTP clients (P1 with 8 workers, where pgbench peaks on 2 cores).
const HTTP_CLIENTS = Number(process.env.BENCH_HTTP_CLIENTS ?? 32);
const CASES_PER_WORKER = Number(process.env.BENCH_CASES_PER_WORKER ?? 50);
// Cases audited with 10 recommendations each, for the task walks: 2 x 8 x 100 x 10 = 16,000 tasks.
const TASK_CASES_PER_WORKER = Number(process.env.BENCH_TASK_CASES_PER_WORKER ?? 100);
const RECOMMENDATIONS = 10;
const DB = 'tuntas_bench_transitions';
const PGBENCH_DB = 'tuntas_bench_pgbench';
const PORT = 3903;
const pgUrl = new URL(PG);

const admin = (sql) => adminQuery(PG, sql);

const pgArgs = ['-h', pgUrl.hostname, '-p', pgUrl.port || '5432', '-U', decodeURIComponent(pgUrl.username) || 'postgres'];

function pgbenchTps() {
  execFileSync('pgbench', [...pgArgs, '-i', '-q', '-s', '10', PGBENCH_DB], { stdio: 'ignore' });
  const out = execFileSync('pgbench', [...pgArgs, '-M', 'prepared', '-c', '8', '-j', '2', '-T', String(SECONDS), PGBENCH_DB]).toString();
  const m = /tps = ([\d.]+)/.exec(out);
  if (!m) throw new Error(`no tps in pgbench output:\n${out}`);
  return Number(m[1]);
}

/** TPC-B's average latency (ms) at 32 clients: the scale of one transaction under contention (P3). */
function pgbenchLatency32() {
  const out = execFileSync('pgbench', [...pgArgs, '-M', 'prepared', '-c', '32', '-j', '2', '-T', String(SECONDS), PGBENCH_DB]).toString();
  const m = /latency average = ([\d.]+) ms/.exec(out);
  if (!m) throw new Error(`no latency in pgbench output:\n${out}`);
  return Number(m[1]);
}

/**
 * Sends `work(case)` at `rate` per second for SECONDS, paced (open loop): each send is scheduled,
 * and its latency counts from the scheduled instant, so a slow answer cannot hide the ones queued
 * behind it. A case has one request in flight at a time. Returns the latencies' p50/p99 in ms.
 */
async function paced(cases, rate, work) {
  const idle = [...cases];
  const latencies = [];
  const waiting = [];
  const gap = 1000 / rate;
  const started = performance.now();
  const total = Math.floor(rate * SECONDS);
  const inFlight = new Set();
  const launch = (c, scheduledAt) => {
    const p = work(c).then(() => {
      latencies.push(performance.now() - scheduledAt);
      inFlight.delete(p);
      const next = waiting.shift();
      if (next !== undefined) launch(c, next);
      else idle.push(c);
    });
    inFlight.add(p);
  };
  for (let i = 0; i < total; i++) {
    const at = started + i * gap;
    const wait = at - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const c = idle.shift();
    if (c === undefined) waiting.push(at);
    else launch(c, at);
  }
  while (inFlight.size > 0) await Promise.race(inFlight);
  latencies.sort((a, b) => a - b);
  const q = (f) => latencies[Math.min(latencies.length - 1, Math.floor(f * latencies.length))];
  return { p50: q(0.5), p99: q(0.99), n: latencies.length };
}

/** The next event for a case in `state`; cycles intervened ↔ remeasured once past the audit. */
let remeasured = 0;
function nextEvent(state, now) {
  switch (state) {
    case 'identified':
      return { type: 'RECORD_AUDIT', auditedAt: '2026-01-05', cycle: '2026-S1', causes: ['INADEQUATE_INTAKE'], recommendations: [{ action: 'PMT', opdCode: 'DINKES' }], experts: [{ specialty: 'SpA' }] };
    case 'audited':
      return { type: 'START_INTERVENTION', startedAt: '2026-01-10', description: 'PMT lokal' };
    case 'intervened':
      // Each re-measurement is a stored reading now: a new, slightly taller one each time (the same
      // reading twice on one day is a duplicate, and a drop of more than 1 cm a measuring error).
      remeasured += 1;
      return { type: 'RECORD_REMEASUREMENT', measuredAt: new Date(now - 60_000).toISOString(), heightCm: Math.round((80 + remeasured * 0.001) * 1000) / 1000, method: 'recumbent' };
    default:
      return { type: 'CONTINUE_INTERVENTION', note: 'lanjut' };
  }
}

/** The event that moves a task on from `state` (null once verified), and who sends it. */
function taskEvent(state) {
  switch (state) {
    case 'assigned':
      return { by: 'liaison', type: 'ACKNOWLEDGE', payload: { note: 'diterima' } };
    case 'acknowledged':
      return { by: 'liaison', type: 'START', payload: {} };
    case 'in_progress':
      return { by: 'liaison', type: 'COMPLETE', payload: { note: 'PMT diserahkan', evidence: [{ kind: 'note', description: 'Serah terima PMT di posyandu' }] } };
    case 'done':
      return { by: 'manager', type: 'VERIFY', payload: {} };
    default:
      return null;
  }
}

/** `workers` walk their own tasks to verified, one after another, for SECONDS; returns transitions/s. */
async function walkTasks(tasks, step, workers = WORKERS) {
  let done = 0;
  const started = Date.now();
  const until = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (const t of tasks.filter((_, i) => i % workers === w)) {
        for (let e = taskEvent(t.state); e && Date.now() < until; e = taskEvent(t.state)) {
          await step(t, e);
          done++;
        }
        if (Date.now() >= until) return;
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  if (elapsed < SECONDS * 0.9) throw new Error(`the task walk ran out of tasks after ${elapsed.toFixed(1)} s: raise BENCH_TASK_CASES_PER_WORKER`);
  return done / elapsed;
}

/** Runs `work(caseIndex)` in `workers` loops over disjoint cases for SECONDS; returns completed transitions/s. */
async function drive(cases, work, workers = WORKERS) {
  let done = 0;
  const until = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      const mine = cases.filter((_, i) => i % workers === w);
      for (let i = 0; Date.now() < until; i = (i + 1) % mine.length) {
        await work(mine[i]);
        done++;
      }
    }),
  );
  return done / SECONDS;
}

await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
await admin(`CREATE DATABASE ${DB}`);
await admin(`DROP DATABASE IF EXISTS ${PGBENCH_DB} WITH (FORCE)`);
await admin(`CREATE DATABASE ${PGBENCH_DB}`);
const env = {
  DATABASE_URL: `${PG}/${DB}`,
  DB_POOL_SIZE: process.env.BENCH_DB_POOL_SIZE ?? '10',
  JWT_SECRET: randomBytes(32).toString('hex'),
  NIK_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  NIK_HMAC_KEY: randomBytes(32).toString('hex'),
  ADMIN_PASSWORD: 'bench-admin-password',
  LOG_LEVEL: 'warn',
  // The limiter runs (its cost is part of the figure) but one load generator must not trip it.
  RATE_LIMIT_PER_MINUTE: '1000000',
};
let server;
let bouncer;
try {
  // BENCH_ONLY=service skips pgbench and HTTP, for profiling the service layer alone.
  const only = process.env.BENCH_ONLY;
  const tpcb = only === 'service' ? NaN : pgbenchTps();
  const tpcbLatency32 = only === 'service' ? NaN : pgbenchLatency32();

  // 2. Service layer, in-process.
  Object.assign(process.env, env);
  const { NestFactory } = await import('@nestjs/core');
  const { AppModule } = await import('../dist/src/app.module.js');
  const { CasesService } = await import('../dist/src/modules/cases/cases.service.js');
  const { SubjectsService } = await import('../dist/src/modules/subjects/subjects.service.js');
  const { OpdsService } = await import('../dist/src/modules/organisations/opds.service.js');
  const { UsersRepository } = await import('../dist/src/modules/identity/users.repository.js');
  const ctx = await NestFactory.createApplicationContext(AppModule, { logger: false });
  const adminUser = await ctx.get(UsersRepository).findByUsername('admin');
  const national = { userId: adminUser.id, username: 'admin', displayName: 'Administrator', role: 'admin', regencyCode: null, opdId: null, sponsorId: null };
  const manager = { ...national, role: 'case_manager', regencyCode: '3216' };
  await ctx.get(OpdsService).seed(national, '3216');
  const casesService = ctx.get(CasesService);
  const subjects = ctx.get(SubjectsService);
  const newCase = async (i) => {
    const s = await subjects.create(manager, { targetGroup: 'BALITA', name: `Anak ${i}`, sex: i % 2 ? 'F' : 'M', birthDate: '2024-06-01', villageCode: '3216062005' });
    return casesService.open(manager, { subjectId: s.id, identifiedAt: '2026-01-02', source: 'eppgbm' });
  };
  const cases = [];
  for (let i = 0; i < WORKERS * CASES_PER_WORKER; i++) {
    const c = await newCase(i);
    cases.push({ id: c.id, state: c.state, version: c.version });
  }
  // The tasks of the walks: each audit opens one DINKES task per recommendation.
  const taskCaseIds = [];
  for (let i = 0; i < 2 * WORKERS * TASK_CASES_PER_WORKER; i++) {
    const c = await newCase(cases.length + i);
    const audit = { ...stripType(nextEvent('identified')), recommendations: Array.from({ length: RECOMMENDATIONS }, (_, k) => ({ action: `PMT ${k + 1}`, opdCode: 'DINKES' })) };
    await casesService.apply(manager, c.id, c.version, { type: 'RECORD_AUDIT', payload: audit });
    taskCaseIds.push(c.id);
  }
  const { DataSource } = await import('typeorm');
  const ds = ctx.get(DataSource);
  const tasksOf = async (caseIds) => ds.query(`SELECT id, state, version FROM tasks WHERE case_id = ANY($1::uuid[]) ORDER BY case_id, id`, [caseIds]);
  const half = taskCaseIds.length / 2;
  const serviceTasks = await tasksOf(taskCaseIds.slice(0, half));
  const httpTasks = await tasksOf(taskCaseIds.slice(half));
  const [{ id: dinkesId }] = await ds.query(`SELECT id FROM opds WHERE regency_code = '3216' AND code = 'DINKES'`);
  const liaison = { ...national, role: 'opd_liaison', regencyCode: '3216', opdId: dinkesId };
  const service = await drive(cases, async (c) => {
    const view = await casesService.apply(manager, c.id, c.version, { type: nextEvent(c.state, Date.now()).type, payload: stripType(nextEvent(c.state, Date.now())) });
    c.state = view.state;
    c.version = view.version;
  });
  // The kernel's own call: TasksService.apply adds the answer's view (four reads) on top.
  const { WorkflowService } = await import('../dist/src/workflow/workflow.service.js');
  const workflow = ctx.get(WorkflowService);
  const serviceTaskRate = await walkTasks(serviceTasks, async (t, e) => {
    const { row } = await workflow.apply('task', t.id, { type: e.type, payload: e.payload }, e.by === 'liaison' ? liaison : manager, { expectedVersion: t.version });
    t.state = row.state;
    t.version = row.version;
  });
  await ctx.close();
  if (only === 'service') {
    console.log(`service layer: ${service.toFixed(0)} case transitions/s, ${serviceTaskRate.toFixed(0)} task transitions/s`);
    process.exit(0);
  }

  // 3. Over HTTP, against the service running as it is deployed (request logs at warn).
  // BENCH_PROFILE_SERVER=dir writes a CPU profile of the service (it exits itself after 60 s).
  const profileDir = process.env.BENCH_PROFILE_SERVER;
  const serverArgs = profileDir
    ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--input-type=module', '-e', "setTimeout(() => process.exit(0), 60000); await import('./dist/src/main.js');"]
    : ['dist/src/main.js'];
  if (process.env.BENCH_NODE_FLAGS) serverArgs.unshift(...process.env.BENCH_NODE_FLAGS.split(' '));
  const startServer = async (extraEnv = {}) => {
    server = spawn(process.execPath, serverArgs, { env: { ...process.env, ...env, ...extraEnv, PORT: String(PORT) }, stdio: ['ignore', 'ignore', 'inherit'] });
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${PORT}/health`)).ok) break;
      } catch {
        if (i > 120) throw new Error('the service did not start');
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  const base = `http://127.0.0.1:${PORT}/api/v1`;
  await startServer();
  // node:http with keep-alive: fetch costs the client more CPU than the server spends, on 2 cores.
  const agent = new nodeHttp.Agent({ keepAlive: true, maxSockets: HTTP_CLIENTS });
  const send = (method, path, body, headers = {}) =>
    new Promise((resolve, reject) => {
      const data = JSON.stringify(body);
      const req = nodeHttp.request(
        `${base}${path}`,
        { method, agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data), ...headers } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => (res.statusCode < 300 ? resolve(JSON.parse(text)) : reject(new Error(`${path}: ${res.statusCode} ${text}`))));
        },
      );
      req.on('error', reject);
      req.end(data);
    });
  const post = (path, body, headers) => send('POST', path, body, headers);
  const adminToken = (await post('/auth/login', { username: 'admin', password: env.ADMIN_PASSWORD })).accessToken;
  const benchCm = await post('/users', { username: 'bench.cm', password: 'bench-cm-password', displayName: 'Bench', role: 'case_manager', regencyCode: '3216' }, { Authorization: `Bearer ${adminToken}` });
  const auth = { Authorization: `Bearer ${(await post('/auth/login', { username: 'bench.cm', password: 'bench-cm-password' })).accessToken}` };
  // The case manager works the cases assigned to them, as in the work queue's `assignee=me`.
  for (const c of cases) {
    c.version = (await send('PATCH', `/cases/${c.id}/assignee`, { userId: benchCm.id }, { ...auth, 'If-Match': String(c.version) })).version;
  }
  const transition = async (c) => {
    const view = await post(`/cases/${c.id}/events`, nextEvent(c.state, Date.now()), { ...auth, 'If-Match': String(c.version) });
    c.state = view.state;
    c.version = view.version;
  };
  const http = await drive(cases, transition, HTTP_CLIENTS);
  // The task walk over HTTP: a DINKES liaison moves them, the case manager verifies.
  await post('/users', { username: 'bench.dinkes', password: 'bench-dinkes-password', displayName: 'Bench Dinkes', role: 'opd_liaison', regencyCode: '3216', opdId: dinkesId }, { Authorization: `Bearer ${adminToken}` });
  const liaisonAuth = { Authorization: `Bearer ${(await post('/auth/login', { username: 'bench.dinkes', password: 'bench-dinkes-password' })).accessToken}` };
  const taskStep = async (t, e) => {
    const view = await post(`/tasks/${t.id}/events`, { type: e.type, ...e.payload }, { ...(e.by === 'liaison' ? liaisonAuth : auth), 'If-Match': String(t.version) });
    t.state = view.state;
    t.version = view.version;
  };
  const httpTaskRate = await walkTasks(httpTasks, taskStep, HTTP_CLIENTS);
  // P3: latency at half the rate just measured, the load a district's busiest hour might see.
  // The tasks the walk left unfinished, in lanes: a lane moves its task on, then its next task.
  const lanes = Array.from({ length: 4 * HTTP_CLIENTS }, () => []);
  httpTasks.filter((t) => taskEvent(t.state)).forEach((t, i) => lanes[i % lanes.length].push(t));
  const p3Tasks = await paced(lanes, httpTaskRate / 2, async (lane) => {
    while (lane.length && !taskEvent(lane[0].state)) lane.shift();
    if (!lane.length) throw new Error('P3 ran out of tasks: raise BENCH_TASK_CASES_PER_WORKER');
    await taskStep(lane[0], taskEvent(lane[0].state));
  });
  const p3 = await paced(cases, http / 2, transition);

  // 4. The same over HTTP with the pool behind pgbouncer in transaction mode (BENCH_POOLER=0 skips it).
  let pooled;
  if (process.env.BENCH_POOLER !== '0' && !profileDir) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
    agent.destroy();
    const { startPgbouncer } = await import('../test/pooler/pgbouncer.mjs');
    bouncer = await startPgbouncer({ serverHost: pgUrl.hostname, serverPort: Number(pgUrl.port || 5432) });
    await startServer({ DATABASE_URL: `${bouncer.url}/${DB}`, DATABASE_DIRECT_URL: env.DATABASE_URL, DB_NAMED_STATEMENTS: 'false' });
    pooled = await drive(cases, transition, HTTP_CLIENTS);
  }

  const line = (name, v, ratio) => `${name.padEnd(52)} ${v.toFixed(0).padStart(7)}/s${ratio ? `   ${ratio}` : ''}`;
  console.log(`${WORKERS} workers in the service (P1), ${HTTP_CLIENTS} HTTP clients (P2), ${cases.length} cases, ${SECONDS} s per figure, PostgreSQL at ${pgUrl.host}`);
  console.log(line('B_tpcb8  pgbench TPC-B, 8 clients, -M prepared', tpcb));
  console.log(line('P1  task transitions (TPC-B-shaped), service layer', serviceTaskRate, `${(serviceTaskRate / tpcb).toFixed(2)} x B_tpcb8 (target >= 0.43)`));
  console.log(line('P2  task transitions (TPC-B-shaped) over HTTP', httpTaskRate, `${(httpTaskRate / tpcb).toFixed(2)} x B_tpcb8 (target >= 0.25), ${(httpTaskRate / serviceTaskRate).toFixed(2)} x P1`));
  console.log(line('    case mix, service layer (a scored reading stored', service, `${(service / tpcb).toFixed(2)} x B_tpcb8 (not TPC-B-shaped: tracked)`));
  console.log(line('    every other transition), over HTTP', http, `${(http / tpcb).toFixed(2)} x B_tpcb8`));
  const p3Line = (what, rate, r, target) =>
    `${what} at ${rate.toFixed(0)}/s paced (${r.n}): p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms = ${(r.p99 / tpcbLatency32).toFixed(1)} x TPC-B's ${tpcbLatency32.toFixed(2)} ms average at 32 clients${target}`;
  console.log(p3Line('P3  task transitions over HTTP', httpTaskRate / 2, p3Tasks, ' (target <= 10)'));
  console.log(p3Line('    case mix over HTTP', http / 2, p3, ''));
  if (pooled !== undefined) {
    console.log(line('    the same through pgbouncer (transaction mode)', pooled, `${(pooled / tpcb).toFixed(2)} x B_tpcb8, ${(pooled / http).toFixed(2)} x direct`));
  }
} finally {
  server?.kill('SIGTERM');
  await bouncer?.stop();
  await new Promise((r) => setTimeout(r, 1000));
  await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin(`DROP DATABASE IF EXISTS ${PGBENCH_DB} WITH (FORCE)`);
}

function stripType({ type: _type, ...payload }) {
  return payload;
}
