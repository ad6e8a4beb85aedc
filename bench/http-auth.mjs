// P7 (docs/targets.md): HTTP stack overhead of an authenticated endpoint against bare NestJS on
// the same machine, in the same run. Tuntas runs on the PostgreSQL server (a fresh database),
// with request logging on as in production. Prints both figures and the ratio on the last line.
//   npm run bench:http      (BENCH_PG=postgres://postgres@127.0.0.1:5432 by default)
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { adminQuery } from './pg-admin.mjs';

const PG = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432';
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 100;
const DB = 'tuntas_bench';

const admin = (sql) => adminQuery(PG, sql);

function start(args, env) {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  return child;
}

async function waitFor(url) {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} never answered`);
}

async function load(url, headers = {}) {
  await autocannon({ url, connections: 10, duration: 2, headers }); // warm-up
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 };
}

const fmt = (name, r) => `${name.padEnd(44)} ${Math.round(r.rps).toString().padStart(7)} req/s   p50 ${r.p50} ms   p99 ${r.p99} ms`;

await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
await admin(`CREATE DATABASE ${DB}`);
const bare = start(['bench/bare-nest.mjs'], { PORT: '3901' });
const password = 'bench-admin-password';
// BENCH_PROFILE_SERVER=dir writes a CPU profile of the service (bench/profile-top.mjs reads it).
const profileDir = process.env.BENCH_PROFILE_SERVER;
const app = start(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--input-type=module', '-e', "process.on('SIGUSR2', () => process.exit(0)); await import('./dist/src/main.js');"] : ['dist/src/main.js'], {
  PORT: '3902',
  DATABASE_URL: `${PG}/${DB}`,
  JWT_SECRET: randomBytes(32).toString('hex'),
  NIK_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  NIK_HMAC_KEY: randomBytes(32).toString('hex'),
  ADMIN_PASSWORD: password,
  LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
  // The limiter runs (its cost is part of the figure) but one load generator must not trip it.
  RATE_LIMIT_PER_MINUTE: '1000000',
});
try {
  await waitFor('http://127.0.0.1:3901/ping');
  await waitFor('http://127.0.0.1:3902/health');
  const res = await fetch('http://127.0.0.1:3902/api/v1/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  const { accessToken } = await res.json();

  const baseline = await load('http://127.0.0.1:3901/ping');
  const health = await load('http://127.0.0.1:3902/health');
  const auth = { authorization: `Bearer ${accessToken}` };
  const regions = await load('http://127.0.0.1:3902/api/v1/regions?parent=3216', auth);
  const me = await load('http://127.0.0.1:3902/api/v1/users/me', auth);
  console.log(`autocannon -c ${CONNECTIONS} -d ${DURATION}, Node ${process.version}`);
  console.log(fmt('B_http  bare NestJS GET constant JSON', baseline));
  console.log(fmt('Tuntas  GET /health (SELECT 1)', health));
  console.log(fmt('Tuntas  GET /api/v1/regions (auth only)', regions));
  console.log(fmt('Tuntas  GET /api/v1/users/me (auth + user row)', me));
  console.log(`P7 ratio: regions / B_http = ${(regions.rps / baseline.rps).toFixed(2)} (target >= 0.5), users/me / B_http = ${(me.rps / baseline.rps).toFixed(2)} (target >= 0.4)`);
} finally {
  bare.kill('SIGTERM');
  app.kill(profileDir ? 'SIGUSR2' : 'SIGTERM'); // a profile is written on a normal exit only
  await new Promise((r) => setTimeout(r, 1000));
  await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
}
