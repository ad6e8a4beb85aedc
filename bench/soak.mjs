// Soak (targets.md P9, R17): a mixed load at half the measured HTTP transition rate for
// SOAK_MINUTES (default 20), with escalations firing and their webhooks delivered. Prints, every
// minute, the service's RSS, p99 of that minute's requests, the unsent outbox and the due
// backlog; at the end the drift first-to-last (targets: RSS <= 10%, p99 <= 20%, no backlog growth).
// RSS is sampled every 5 s. V8 lets the heap grow between major collections, so RSS saws up and
// down by 100 MiB with nothing retained; the drift compares the floors (lowest sample) of the first
// and last quarter of the run, which is what a leak raises.
//   npm run build && SOAK_MINUTES=20 node bench/soak.mjs
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { clearInterval, setInterval } from 'node:timers';
import nodeHttp, { createServer } from 'node:http';
import pg from 'pg';
import { adminQuery } from './pg-admin.mjs';

const PG = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432';
const MINUTES = Number(process.env.SOAK_MINUTES ?? 20);
const CALIBRATE_SECONDS = Number(process.env.SOAK_CALIBRATE_SECONDS ?? 20);
const WORKERS = 8;
const CASES = 400;
const PORT = 3904;
const DB = 'tuntas_bench_soak';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const today = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);

function nextEvent(state) {
  switch (state) {
    case 'identified':
      return { type: 'RECORD_AUDIT', auditedAt: today(), cycle: '2026-S2', causes: ['INADEQUATE_INTAKE'], recommendations: [{ action: 'PMT', opdCode: 'DINKES' }], experts: [{ specialty: 'SpA' }] };
    case 'audited':
      return { type: 'START_INTERVENTION', startedAt: today(), description: 'PMT lokal' };
    case 'intervened':
      return { type: 'RECORD_REMEASUREMENT', measuredAt: new Date(Date.now() - 60_000).toISOString(), heightCm: 80, method: 'recumbent' };
    default:
      return { type: 'CONTINUE_INTERVENTION', note: 'lanjut' };
  }
}

const p99 = (xs) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.99) - 1)];
};
const rssMiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

await adminQuery(PG, `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
await adminQuery(PG, `CREATE DATABASE ${DB}`);
const env = {
  DATABASE_URL: `${PG}/${DB}`,
  DB_POOL_SIZE: '10',
  JWT_SECRET: randomBytes(32).toString('hex'),
  NIK_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  NIK_HMAC_KEY: randomBytes(32).toString('hex'),
  ADMIN_PASSWORD: 'Soak-national-Sandi-2026!',
  LOG_LEVEL: 'warn',
  RATE_LIMIT_PER_MINUTE: '0',
  ESCALATION_SWEEP_INTERVAL_SECONDS: '5',
  NOTIFICATION_DELIVERY_INTERVAL_SECONDS: '2',
  WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
};
const hooks = { received: 0 };
const receiver = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    hooks.received += 1;
    res.writeHead(200).end();
  });
});
await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
const server = spawn(process.execPath, ['dist/src/main.js'], { env: { ...process.env, ...env, PORT: String(PORT) }, stdio: ['ignore', 'ignore', 'inherit'] });
const db = new pg.Client({ connectionString: env.DATABASE_URL });
try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/health`)).ok) break;
    } catch {
      if (i > 240 || server.exitCode !== null) throw new Error('the service did not start');
    }
    await sleep(250);
  }
  await db.connect();
  const agent = new nodeHttp.Agent({ keepAlive: true, maxSockets: 32 });
  const base = `http://127.0.0.1:${PORT}/api/v1`;
  /** Resolves { status, body, ms }; never rejects. */
  const send = (method, path, body, headers = {}) =>
    new Promise((resolve) => {
      const started = performance.now();
      const data = body === undefined ? '' : JSON.stringify(body);
      const req = nodeHttp.request(
        `${base}${path}`,
        { method, agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data), ...headers } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode, body: text ? JSON.parse(text) : null, ms: performance.now() - started }));
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
      req.on('error', () => resolve({ status: 0, body: null, ms: performance.now() - started }));
      req.end(data);
    });
  const must = async (method, path, body, headers) => {
    const r = await send(method, path, body, headers);
    if (r.status >= 300 || r.status === 0) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const national = { Authorization: `Bearer ${(await must('POST', '/auth/login', { username: 'admin', password: env.ADMIN_PASSWORD })).accessToken}` };
  await must('POST', '/opds/seed', { regencyCode: '3216' }, national);
  for (const [username, role] of [['soak.admin', 'admin'], ['soak.cm', 'case_manager']]) {
    await must('POST', '/users', { username, password: `Soak-${role}-Sandi-2026!`, displayName: username, role, regencyCode: '3216' }, national);
  }
  const kabAdmin = { Authorization: `Bearer ${(await must('POST', '/auth/login', { username: 'soak.admin', password: 'Soak-admin-Sandi-2026!' })).accessToken}` };
  const cm = { Authorization: `Bearer ${(await must('POST', '/auth/login', { username: 'soak.cm', password: 'Soak-case_manager-Sandi-2026!' })).accessToken}` };
  await must('POST', '/webhooks', { url: `http://127.0.0.1:${receiver.address().port}/tuntas` }, kabAdmin);
  const cases = [];
  const subjects = [];
  for (let i = 0; i < CASES; i++) {
    const s = await must('POST', '/subjects', { targetGroup: 'BALITA', name: `Anak Soak ${i}`, sex: i % 2 ? 'F' : 'M', birthDate: '2024-06-01', villageCode: '3216062005' }, cm);
    if (i % 8 === 0) {
      // Weighed children without a case, so readings never move a case under a transition.
      const w = await must('POST', '/subjects', { targetGroup: 'BALITA', name: `Anak Timbang ${i}`, sex: 'F', birthDate: '2024-06-01', villageCode: '3216062005' }, cm);
      subjects.push({ id: w.id, n: 0 });
    }
    const c = await must('POST', '/cases', { subjectId: s.id, identifiedAt: today(), source: 'manual' }, cm);
    cases.push({ id: c.id, state: c.state, version: c.version, busy: false });
  }
  const transition = async (c) => {
    const r = await send('POST', `/cases/${c.id}/events`, nextEvent(c.state), { ...cm, 'If-Match': `"${c.version}"` });
    if (r.status === 200) Object.assign(c, { state: r.body.state, version: r.body.version });
    if (r.status === 409 || r.status === 412) {
      const now = await send('GET', `/cases/${c.id}`, undefined, cm);
      if (now.status === 200) Object.assign(c, { state: now.body.state, version: now.body.version });
    }
    return r;
  };

  // Calibration: the HTTP transition rate, 8 closed-loop workers on disjoint cases.
  let done = 0;
  const until = Date.now() + CALIBRATE_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: WORKERS }, async (_, w) => {
      const mine = cases.filter((_, i) => i % WORKERS === w);
      for (let i = 0; Date.now() < until; i = (i + 1) % mine.length) {
        await transition(mine[i]);
        done++;
      }
    }),
  );
  const maxRate = done / CALIBRATE_SECONDS;
  const rate = maxRate / 2;
  console.log(`HTTP transitions: ${maxRate.toFixed(0)}/s with ${WORKERS} workers; soak at ${rate.toFixed(1)} requests/s (half) for ${MINUTES} min:`);
  console.log('  50% case transitions, 25% measurements, 25% case reads; 20 case steps fall due every minute (sweep every 5 s, outbox every 2 s)');

  // The soak: open loop at `rate`; a request whose case is busy picks another.
  const minutes = [];
  let current = { lat: [], errors: 0, ops: 0, rss: [] };
  let stop = false;
  let k = 0;
  const inflight = new Set();
  const one = async () => {
    const kind = k % 4 === 0 || k % 4 === 2 ? 'transition' : k % 4 === 1 ? 'measurement' : 'read';
    const n = k++;
    let r;
    if (kind === 'transition') {
      const c = cases.find((x, i) => !x.busy && i >= n % CASES) ?? cases.find((x) => !x.busy);
      if (!c) return;
      c.busy = true;
      try {
        r = await transition(c);
      } finally {
        c.busy = false;
      }
    } else if (kind === 'measurement') {
      const s = subjects[n % subjects.length];
      s.n += 1;
      r = await send('POST', `/subjects/${s.id}/measurements`, { measuredAt: today(), heightCm: 91, weightKg: 11 + (s.n % 9000) / 1000, method: 'standing' }, cm);
    } else {
      r = await send('GET', `/cases/${cases[n % CASES].id}`, undefined, cm);
    }
    current.ops += 1;
    current.lat.push(r.ms);
    if (r.status === 0 || r.status >= 500) current.errors += 1;
  };
  const pacer = (async () => {
    const start = performance.now();
    for (let i = 0; !stop; i++) {
      const due = start + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      if (inflight.size >= 64) continue; // the service is behind: shed rather than queue without bound
      const p = one().finally(() => inflight.delete(p));
      inflight.add(p);
    }
  })();
  const fallDue = () =>
    db.query(
      `UPDATE step_deadlines SET due_at = now() - interval '1 hour', next_rung_at = now() - interval '1 hour'
        WHERE (aggregate_type, aggregate_id) IN (SELECT aggregate_type, aggregate_id FROM step_deadlines WHERE last_level = 0 AND next_rung_at > now() ORDER BY random() LIMIT 20)`,
    );
  const sample = async (m) => {
    const outbox = (await db.query(`SELECT count(*)::int AS n FROM notifications WHERE status = 'pending'`)).rows[0].n;
    const backlog = (await db.query(`SELECT count(*)::int AS n FROM step_deadlines WHERE next_rung_at <= now() - interval '1 minute'`)).rows[0].n;
    const escalations = (await db.query(`SELECT count(*)::int AS n FROM escalations`)).rows[0].n;
    const row = { minute: m, rss: rssMiB(server.pid), rssLow: Math.min(...current.rss), rssHigh: Math.max(...current.rss), p99: p99(current.lat), ops: current.ops, errors: current.errors, outbox, backlog, escalations, hooks: hooks.received };
    minutes.push(row);
    console.log(
      `  min ${String(m).padStart(2)}: RSS ${row.rssLow.toFixed(0)}-${row.rssHigh.toFixed(0)} MiB, p99 ${row.p99.toFixed(0)} ms, ${(row.ops / 60).toFixed(1)} req/s, ${row.errors} errors, ` +
        `unsent outbox ${outbox}, due backlog ${backlog}, escalations ${escalations}, webhooks received ${row.hooks}`,
    );
    current = { lat: [], errors: 0, ops: 0, rss: [] };
  };
  const rssSampler = setInterval(() => current.rss.push(rssMiB(server.pid)), 5000);
  for (let m = 1; m <= MINUTES; m++) {
    await fallDue();
    await sleep(60_000);
    await sample(m);
  }
  clearInterval(rssSampler);
  stop = true;
  await pacer;
  await Promise.all(inflight);

  const first = minutes[0];
  const last = minutes.at(-1);
  const drift = (a, b) => `${(((b - a) / a) * 100).toFixed(1)}%`;
  const rssMax = Math.max(...minutes.map((x) => x.rssHigh));
  const quarter = Math.max(1, Math.floor(minutes.length / 4));
  const floorFirst = Math.min(...minutes.slice(0, quarter).map((x) => x.rssLow));
  const floorLast = Math.min(...minutes.slice(-quarter).map((x) => x.rssLow));
  console.log(
    `drift first -> last: RSS floor of the first ${quarter} min ${floorFirst.toFixed(0)} -> of the last ${quarter} min ${floorLast.toFixed(0)} MiB (${drift(floorFirst, floorLast)}, target <= 10%; peak ${rssMax.toFixed(0)} MiB), ` +
      `p99 ${first.p99.toFixed(0)} -> ${last.p99.toFixed(0)} ms (${drift(first.p99, last.p99)}, target <= 20%), ` +
      `unsent outbox ${first.outbox} -> ${last.outbox}, due backlog ${first.backlog} -> ${last.backlog}, ` +
      `${minutes.reduce((s, x) => s + x.errors, 0)} errors in ${minutes.reduce((s, x) => s + x.ops, 0)} requests`,
  );
} finally {
  server.kill('SIGTERM');
  await sleep(1000);
  await db.end().catch(() => undefined);
  receiver.close();
  await adminQuery(PG, `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
}
