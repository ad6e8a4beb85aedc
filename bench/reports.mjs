// Issue 18 part 6, performance at national size: seeds a synthetic nation (bench/reports-seed.mjs)
// into a fresh database of the PostgreSQL server, then measures over HTTP with one client, after
// a warm-up, p50/p95/p99 of the prevalence report of one regency, the province roll-up and the
// daily lokus watch, each against the p95 of GET /api/v1/users/me (an authenticated primary-key
// read over the same pipeline) in the same run (target <= 10x). Then times the e-PPGBM import of
// one regency's month into the seeded nation with the summaries off and on (target: on <= 1.2x off).
//   npm run bench:reports                    (BENCH_SCALE=0.1: 1/10 of the nation)
//   BENCH_SCALE=0.01 npm run bench:reports   (a quick run)
// A route the service does not have yet (404 "no such route") is reported and skipped; any other
// failure exits non-zero.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync, rmSync } from 'node:fs';
import nodeHttp from 'node:http';
import pg from 'pg';
import { EXCEL_HEADER, generateExcelRows } from '../dist/bench/gen-eppgbm.js';
import { adminQuery } from './pg-admin.mjs';
import { afterSeed, seedNation, YEAR_TO } from './reports-seed.mjs';

const PG = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432';
const SCALE = Number(process.env.BENCH_SCALE ?? 0.1);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 30);
/** A regency's month of readings at full national scale: 22 M readings a year over 514 regencies. */
const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 3600);
/** `both` (off, then on), `on`, `off`, or `skip`. */
const IMPORT_MODE = process.env.BENCH_IMPORT ?? 'both';
/** Rounds of the import per mode, alternating off and on; each mode's best round is kept. */
const IMPORT_ROUNDS = Number(process.env.BENCH_IMPORT_ROUNDS ?? 3);
/** Regencies of Jawa Barat (the generator writes that province), one per import: no reading repeats. */
const IMPORT_REGENCIES = ['3216', '3273', '3201', '3204', '3275', '3271', '3217', '3203'];
const KEEP = process.env.BENCH_KEEP === '1';
const DB = 'tuntas_bench_reports';
const PORT = 3906;
const TARGET_RATIO = 10;

// The routes measured, pinned by the issue; adjust here when a route's query changes.
const FROM = '2025-12';
const TO = '2026-11';
const TODAY = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10); // the calendar day in WIB
const BASELINE = { name: 'GET /users/me (baseline)', path: () => '/users/me' };
const ROUTES = [
  { name: 'prevalence, one regency', key: 'regency', path: (c) => `/reports/prevalence?level=kabupaten&code=${c}&from=${FROM}&to=${TO}` },
  { name: 'prevalence, province roll-up', key: 'province', path: (c) => `/reports/prevalence?level=provinsi&code=${c}&from=${FROM}&to=${TO}` },
  { name: 'lokus watch, today', key: 'lokus', path: (c) => `/reports/lokus-watch?date=${TODAY}&regencyCode=${c}` },
];
/** The lokus decree posted for each regency of the rotation: POST /lokus {year, villageCodes[], decreeRef}. */
const LOKUS_PATH = '/lokus';
const LOKUS_VILLAGES = 5;
/** How many regencies the regency-level routes rotate through (spread over the nation). */
const ROTATION = Number(process.env.BENCH_ROTATION ?? 20);
/**
 * The summaries kept on write: the prevalence trigger on measurements. The import's "off" rounds
 * disable it (and the "on" rounds enable it), so the two differ by exactly that work.
 */
const SUMMARY_TRIGGERS = [['measurements', 'tr_measurements_prevalence']];
async function setSummaries(on) {
  for (const [table, trigger] of SUMMARY_TRIGGERS) await db.query(`ALTER TABLE ${table} ${on ? 'ENABLE' : 'DISABLE'} TRIGGER ${trigger}`);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)];
const fmtMs = (x) => (x === undefined ? '-' : x.toFixed(1).padStart(7));
const password = `Bench-${randomBytes(6).toString('hex')}-Sandi!`;
const env = {
  DATABASE_URL: `${PG}/${DB}`,
  DB_POOL_SIZE: '10',
  JWT_SECRET: randomBytes(32).toString('hex'),
  NIK_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  NIK_HMAC_KEY: randomBytes(32).toString('hex'),
  ADMIN_PASSWORD: password,
  LOG_LEVEL: 'warn',
  RATE_LIMIT_PER_MINUTE: '0',
  // The seeded deadlines must not fire while the reports are measured.
  ESCALATION_SWEEP_INTERVAL_SECONDS: '0',
  NOTIFICATION_DELIVERY_INTERVAL_SECONDS: '0',
  FHIR_EXPORT_INTERVAL_SECONDS: '0',
  RETENTION_SWEEP_INTERVAL_SECONDS: '0',
};

let server = null;
async function startService(extraEnv = {}) {
  server = spawn(process.execPath, ['dist/src/main.js'], { env: { ...process.env, ...env, ...extraEnv, PORT: String(PORT) }, stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/health`)).ok) return;
    } catch {
      // not up yet
    }
    if (i > 480 || server.exitCode !== null) throw new Error('the service did not start');
    await sleep(250);
  }
}
async function stopService() {
  if (!server || server.exitCode !== null) return;
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000)]);
}

const agent = new nodeHttp.Agent({ keepAlive: true, maxSockets: 1 });
const base = `http://127.0.0.1:${PORT}/api/v1`;
/** One request over the kept-alive socket: { status, text, ms }. */
function send(method, path, { body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const data = body === undefined ? '' : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    const req = nodeHttp.request(
      `${base}${path}`,
      { method, agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data), ...headers } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
      },
    );
    req.setTimeout(120_000, () => req.destroy(new Error(`${method} ${path}: timeout`)));
    req.on('error', reject);
    req.end(data);
  });
}
async function must(method, path, opts) {
  const r = await send(method, path, opts);
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.text.slice(0, 400)}`);
  return r.text ? JSON.parse(r.text) : null;
}
/** The 404 for a path no controller serves (all-exceptions.filter's "no such route"): the route has not landed on this build. */
const routeMissing = (r) => r.status === 404 && /"message":"no such route"/.test(r.text);
const bearer = (token) => ({ Authorization: `Bearer ${token}` });

await adminQuery(PG, `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
await adminQuery(PG, `CREATE DATABASE ${DB}`);
const db = new pg.Client({ connectionString: env.DATABASE_URL });
let failed = false;
try {
  // 1. The service applies the migrations and creates the national admin; then the seed.
  await startService();
  await db.connect();
  const [{ id: adminId }] = (await db.query(`SELECT id FROM users WHERE username = 'admin'`)).rows;
  console.log(`Seeding a synthetic nation at scale ${SCALE} (PostgreSQL at ${new URL(PG).host}):`);
  let t = performance.now();
  const counts = await seedNation(db, { scale: SCALE, actorId: adminId });
  const seedSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  await afterSeed(db);
  await db.query('VACUUM ANALYZE');
  const analyzeSeconds = (performance.now() - t) / 1000;
  const size = (await db.query(`SELECT pg_size_pretty(pg_database_size(current_database())) AS s`)).rows[0].s;
  console.log(
    `seeded in ${seedSeconds.toFixed(0)} s (+ ${analyzeSeconds.toFixed(0)} s afterSeed and VACUUM ANALYZE), database ${size}: ` +
      `${counts.subjects.toLocaleString('en')} children in ${counts.seededRegencies} of ${counts.regencies} regencies, ` +
      `${counts.measurements.toLocaleString('en')} readings, ${counts.open_cases.toLocaleString('en')} open cases, ` +
      `${counts.tasks.toLocaleString('en')} OPD tasks, ${counts.interventions.toLocaleString('en')} CSR interventions with ${counts.deliveries.toLocaleString('en')} deliveries`,
  );

  // 2. The rotation: regencies spread over the nation (the most children first within each
  // province), every province, and the lokus villages of each rotated regency.
  const regencies = (
    await db.query(`SELECT regency_code FROM (SELECT regency_code, count(*) n FROM subjects GROUP BY 1) s ORDER BY n DESC, regency_code`)
  ).rows.map((r) => r.regency_code);
  const rotation = regencies.filter((_, i) => i % Math.max(1, Math.floor(regencies.length / ROTATION)) === 0).slice(0, ROTATION);
  const provinces = (await db.query(`SELECT DISTINCT left(regency_code, 2) AS p FROM subjects ORDER BY 1`)).rows.map((r) => r.p);
  const national = bearer((await must('POST', '/auth/login', { body: { username: 'admin', password } })).accessToken);

  const probe = await send('POST', LOKUS_PATH, { body: {}, headers: national });
  if (routeMissing(probe)) {
    console.log(`lokus villages: POST /api/v1${LOKUS_PATH} is not available on this build; no lokus seeded`);
  } else {
    for (const code of rotation) {
      // A regency admin posts its regency's decree: the villages with the most open cases.
      const username = `bench.admin.${code}`;
      await must('POST', '/users', { body: { username, password, displayName: `Admin ${code}`, role: 'admin', regencyCode: code }, headers: national });
      const kab = bearer((await must('POST', '/auth/login', { body: { username, password } })).accessToken);
      const villageCodes = (
        await db.query(`SELECT village_code FROM cases WHERE regency_code = $1 AND state NOT IN ('resolved','closed') GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT $2`, [code, LOKUS_VILLAGES])
      ).rows.map((r) => r.village_code);
      await must('POST', LOKUS_PATH, { body: { year: Number(TODAY.slice(0, 4)), villageCodes, decreeRef: `SK Bupati ${code}/${TODAY.slice(0, 4)}` }, headers: kab });
    }
    console.log(`lokus villages: ${LOKUS_VILLAGES} per regency posted for the ${rotation.length} regencies of the rotation`);
  }

  // 3. The measurement: one client, round-robin over the routes so drift hits all alike.
  const codesOf = { regency: rotation, province: provinces, lokus: rotation, me: [''] };
  const live = [{ ...BASELINE, key: 'me' }];
  for (const route of ROUTES) {
    const r = await send('GET', route.path(codesOf[route.key][0]), { headers: national });
    if (routeMissing(r)) console.log(`${route.name}: route not available (GET /api/v1${route.path(codesOf[route.key][0])} answers 404 "no such route"); skipped`);
    else if (r.status !== 200) throw new Error(`${route.name}: ${r.status} ${r.text.slice(0, 400)}`);
    else live.push(route);
  }
  const samples = new Map(live.map((r) => [r.name, []]));
  for (let i = 0; i < WARMUP + REQUESTS; i++) {
    for (const route of live) {
      const codes = codesOf[route.key];
      const r = await send('GET', route.path(codes[i % codes.length]), { headers: national });
      if (r.status !== 200) throw new Error(`${route.name}: ${r.status} ${r.text.slice(0, 400)}`);
      if (i >= WARMUP) samples.get(route.name).push(r.ms);
    }
  }
  const stats = new Map([...samples].map(([name, xs]) => {
    const s = [...xs].sort((a, b) => a - b);
    return [name, { p50: pct(s, 0.5), p95: pct(s, 0.95), p99: pct(s, 0.99) }];
  }));
  const me = stats.get(BASELINE.name);
  console.log(`\nOne client over HTTP, ${REQUESTS} requests per route after ${WARMUP} of warm-up, round-robin; ${rotation.length} regencies, ${provinces.length} provinces in rotation`);
  console.log(`${'route'.padEnd(32)}  p50 ms   p95 ms   p99 ms   users/me p95   ratio   target <= ${TARGET_RATIO}x`);
  for (const route of live) {
    const s = stats.get(route.name);
    const verdict = route === live[0] ? '' : `${(s.p95 / me.p95).toFixed(2).padStart(6)}x   ${s.p95 <= TARGET_RATIO * me.p95 ? 'PASS' : 'FAIL'}`;
    console.log(`${route.name.padEnd(32)} ${fmtMs(s.p50)}  ${fmtMs(s.p95)}  ${fmtMs(s.p99)}   ${route === live[0] ? '' : fmtMs(me.p95).padStart(12)}   ${verdict}`);
  }
  if (live.length === 1) console.log('(no report route available on this build: only the baseline was measured)');

  // 4. The import of one regency's month, into the seeded nation, with the summaries off then on.
  if (IMPORT_MODE !== 'skip') {
    const modes = IMPORT_MODE === 'both' ? ['off', 'on'] : [IMPORT_MODE];
    const rates = {};
    let n = 0;
    for (let round = 0; round < IMPORT_ROUNDS; round++) {
      for (const mode of modes) {
        await stopService();
        await setSummaries(mode === 'on');
        await startService({});
        const token = bearer((await must('POST', '/auth/login', { body: { username: 'admin', password } })).accessToken);
        const regency = IMPORT_REGENCIES[n++ % IMPORT_REGENCIES.length];
        const file = `/tmp/tuntas-bench-reports-${regency}.csv`;
        const out = createWriteStream(file);
        out.write(`\ufeff${EXCEL_HEADER}\r\n`);
        for await (const row of generateExcelRows({ rows: IMPORT_ROWS, regency, seed: 20 + n, today: YEAR_TO })) {
          if (!out.write(`${row.line}\r\n`)) await new Promise((r) => out.once('drain', r));
        }
        await new Promise((r) => out.end(r));
        const boundary = `----bench${randomBytes(8).toString('hex')}`;
        const body = Buffer.concat([
          Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="regencyCode"\r\n\r\n${regency}\r\n`),
          Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="eppgbm-${regency}.csv"\r\nContent-Type: text/csv\r\n\r\n`),
          readFileSync(file),
          Buffer.from(`\r\n--${boundary}--\r\n`),
        ]);
        rmSync(file, { force: true });
        let job = await must('POST', '/imports/eppgbm', { body, headers: { ...token, 'Content-Type': `multipart/form-data; boundary=${boundary}` } });
        while (job.status === 'queued' || job.status === 'running') {
          await sleep(50);
          job = await must('GET', `/imports/${job.id}`, { headers: token });
        }
        if (job.status !== 'done') throw new Error(`import ${mode}: ${job.status} ${job.error ?? ''}`);
        // The job's own time, accepted to finished: the upload is not part of it.
        const seconds = (Date.parse(job.finishedAt) - Date.parse(job.createdAt)) / 1000;
        const rate = job.rowsRead / seconds;
        rates[mode] = Math.max(rates[mode] ?? 0, rate);
        console.log(
          `import, summaries ${mode.padEnd(3)}: ${job.rowsRead.toLocaleString('en')} rows of regency ${regency} in ${seconds.toFixed(2)} s = ` +
            `${rate.toFixed(0)} rows/s (${job.rowsTaken} taken, ${job.rowsRejected} rejected, ${job.casesOpened} cases opened)`,
        );
      }
    }
    await setSummaries(true);
    if (rates.off && rates.on) {
      const slowdown = rates.off / rates.on;
      console.log(`import slowdown with the summaries on (best round of each): ${slowdown.toFixed(2)}x (target <= 1.20x) ${slowdown <= 1.2 ? 'PASS' : 'FAIL'}`);
    }
  }
} catch (e) {
  failed = true;
  console.error(e);
} finally {
  await stopService();
  await db.end().catch(() => undefined);
  if (!KEEP) await adminQuery(PG, `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  else console.log(`kept the database ${DB} (BENCH_KEEP=1)`);
}
process.exit(failed ? 1 : 0);
