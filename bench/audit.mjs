// P8 (targets.md): read-audit overhead. Throughput of GET /api/v1/subjects/:id with every read
// recorded in the hash-chained audit trail, against the same service with read auditing off
// (AUDIT_READS=false, a switch for this measurement only), on the PostgreSQL server, same run.
//   npm run bench:audit      (BENCH_PG=postgres://postgres@127.0.0.1:5432 by default)
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { adminQuery } from './pg-admin.mjs';

const PG = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432';
const DURATION = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = 32;
const DB = 'tuntas_bench_audit';
const PORT = 3904;
const admin = (sql) => adminQuery(PG, sql);
const secrets = {
  DATABASE_URL: `${PG}/${DB}`,
  JWT_SECRET: randomBytes(32).toString('hex'),
  NIK_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  NIK_HMAC_KEY: randomBytes(32).toString('hex'),
  ADMIN_PASSWORD: 'bench-admin-password',
  LOG_LEVEL: 'warn',
  RATE_LIMIT_PER_MINUTE: '1000000',
};

async function withService(env, work) {
  const child = spawn(process.execPath, ['dist/src/main.js'], { env: { ...process.env, ...secrets, ...env, PORT: String(PORT) }, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${PORT}/health`)).ok) break;
      } catch {
        if (i > 120) throw new Error('the service did not start');
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    return await work(`http://127.0.0.1:${PORT}/api/v1`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const post = async (url, body, token) => {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json();
};

async function load(url, token) {
  const headers = { authorization: `Bearer ${token}` };
  await autocannon({ url, connections: 8, duration: 3, headers });
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 };
}

await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
await admin(`CREATE DATABASE ${DB}`);
try {
  // A case manager and one child; both runs read the same record.
  const fixture = await withService({}, async (api) => {
    const adminToken = (await post(`${api}/auth/login`, { username: 'admin', password: secrets.ADMIN_PASSWORD })).accessToken;
    await post(`${api}/users`, { username: 'bench.cm', password: 'bench-cm-password', displayName: 'Bench', role: 'case_manager', regencyCode: '3216' }, adminToken);
    const token = (await post(`${api}/auth/login`, { username: 'bench.cm', password: 'bench-cm-password' })).accessToken;
    const s = await post(`${api}/subjects`, { targetGroup: 'BALITA', name: 'Anak Bench', sex: 'F', birthDate: '2024-03-01', villageCode: '3216062005' }, token);
    return { token, id: s.id };
  });
  // Alternated twice, so neither setting gets the warmer cache or the quieter minute.
  const runs = { off: [], on: [] };
  for (const mode of ['off', 'on', 'on', 'off']) {
    runs[mode].push(await withService(mode === 'off' ? { AUDIT_READS: 'false' } : {}, (api) => load(`${api}/subjects/${fixture.id}`, fixture.token)));
  }
  const mean = (rs) => ({ rps: rs.reduce((n, r) => n + r.rps, 0) / rs.length, p50: Math.max(...rs.map((r) => r.p50)), p99: Math.max(...rs.map((r) => r.p99)) });
  const off = mean(runs.off);
  const on = mean(runs.on);
  const db = new pg.Client({ connectionString: secrets.DATABASE_URL });
  db.on('error', () => undefined); // the database is dropped at the end, whatever happened
  await db.connect();
  const { rows } = await db.query(`SELECT count(*)::int AS n, count(DISTINCT txid)::int AS t FROM (SELECT xmin::text AS txid FROM audit_log WHERE action = 'subject.read') x`);

  // A DPO's question over a year of entries: who accessed this child's records in a quarter?
  const YEAR = Number(process.env.BENCH_AUDIT_YEAR_ROWS ?? 2_000_000);
  const t0 = performance.now();
  await db.query(`CREATE TEMP TABLE kids AS SELECT k, gen_random_uuid() AS id FROM generate_series(0, 99999) k`);
  await db.query(`CREATE UNIQUE INDEX ON kids (k)`);
  await db.query(
    `INSERT INTO audit_log (regency_code, seq, at, actor_id, actor_role, action, entity_type, entity_id, subject_id, purpose, request_id, details, prev_hash, hash)
     SELECT '3216', 10000000 + i, now() - (i % 365) * interval '1 day' - (i % 86400) * interval '1 second', md5((i % 300)::text)::uuid, 'case_manager',
            CASE WHEN i % 10 = 0 THEN 'subject.search' ELSE 'subject.read' END, 'subject', NULL,
            CASE WHEN i % 10 = 0 THEN NULL ELSE kids.id END, NULL, NULL,
            CASE WHEN i % 10 = 0 THEN jsonb_build_object('subjectIds', jsonb_build_array(kids.id)) ELSE '{}'::jsonb END,
            '\\x00', '\\x00'
       FROM generate_series(1, $1) i JOIN kids ON kids.k = i % 100000`,
    [YEAR],
  );
  await db.query('ANALYZE audit_log');
  const seeded = (performance.now() - t0) / 1000;
  const child = (await db.query(`SELECT id FROM kids WHERE k = 4242`)).rows[0].id;
  const dpo = await withService({}, async (api) => {
    const adminToken = (await post(`${api}/auth/login`, { username: 'admin', password: secrets.ADMIN_PASSWORD })).accessToken;
    await post(`${api}/users`, { username: 'bench.dpo', password: 'bench-dpo-password', displayName: 'DPO', role: 'dpo', regencyCode: '3216' }, adminToken);
    const token = (await post(`${api}/auth/login`, { username: 'bench.dpo', password: 'bench-dpo-password' })).accessToken;
    const from = new Date(Date.now() - 180 * 86_400_000).toISOString();
    const to = new Date(Date.now() - 90 * 86_400_000).toISOString();
    const times = [];
    let found = 0;
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const res = await fetch(`${api}/audit-log?subjectId=${child}&from=${from}&to=${to}&limit=200`, { headers: { Authorization: `Bearer ${token}` } });
      const body = await res.json();
      if (!res.ok) throw new Error(`audit-log: ${res.status} ${JSON.stringify(body)}`);
      found = body.items.length;
      times.push(performance.now() - t);
    }
    return { found, best: Math.min(...times), worst: Math.max(...times) };
  });
  await db.end();
  const fmt = (name, r) => `${name.padEnd(40)} ${Math.round(r.rps).toString().padStart(7)} req/s   p50 ${r.p50} ms   p99 ${r.p99} ms`;
  console.log(`autocannon -c ${CONNECTIONS} -d ${DURATION}, two runs of each setting (mean req/s, worst p50/p99), PostgreSQL at ${new URL(PG).host}`);
  console.log(fmt('GET /subjects/:id, read audit off', off));
  console.log(fmt('GET /subjects/:id, every read audited', on));
  console.log(`${rows[0].n.toLocaleString('en')} read entries written in ${rows[0].t.toLocaleString('en')} transactions (group commit: ${(rows[0].n / Math.max(1, rows[0].t)).toFixed(1)} per transaction)`);
  console.log(`P8 ratio audited / unaudited = ${(on.rps / off.rps).toFixed(2)} (target >= 0.8)`);
  console.log(
    `DPO query over ${(YEAR / 1e6).toFixed(1)}M entries of a year (seeded in ${seeded.toFixed(0)} s): one child's accesses in a quarter, ` +
      `${dpo.found} entries, ${dpo.best.toFixed(0)}-${dpo.worst.toFixed(0)} ms through GET /api/v1/audit-log`,
  );
} finally {
  await admin(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
}
