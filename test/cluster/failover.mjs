// Failover with nothing lost (issue 22, part 2). Two service instances on the cluster's
// read-write port (HAProxy → Patroni's primary) carry a bounded load of case transitions,
// measurements and intervention deliveries; the primary's PostgreSQL is killed (kill -9 of the
// postmaster and its children), then its Patroni. Then:
//   - every write acknowledged with a 2xx is on the new primary (client ack log vs database);
//   - while no primary answers, requests get 503 with Retry-After: never another 5xx, never a
//     hang past the client's request timeout;
//   - both instances recover by themselves (same processes, no restart);
//   - the sweep, the outbox dispatcher and the LISTEN/NOTIFY token cache resume (a user
//     disabled after the failover is refused on both instances at once);
//   - every case, task and intervention equals the fold of its history.
// Prints the unavailability window and the counts.
//   npm run build && node test/cluster/failover.mjs [runs]
import { createServer } from 'node:http';
import pg from 'pg';
import { canonicalJson } from '../../dist/src/modules/audit/audit-chain.js';
import { replayCase } from '../../dist/src/modules/cases/case-replay.js';
import { DELIVERY_HEADER } from '../../dist/src/modules/escalation/webhook-signature.js';
import { check, secrets, startService, stopService } from '../faults/lib.mjs';
import { killTree, startCluster } from './cluster.mjs';

const PORTS = [3931, 3932];
const REQUEST_TIMEOUT_MS = 20_000;
const CLIENTS_PER_INSTANCE = 4;
const WARM_MS = 6_000;
const MAX_OPS = 4_000; // bound in count …
const MAX_DOWN_MS = 120_000; // … and in time: the new primary must serve by then
const REGENCY = '3216';
const VILLAGE = '3216062005';
const DB = 'tuntas';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** Today in WIB, the regency's calendar. Events carry it as a calendar day, which the service places no later than now (a fixed UTC time on it is in the future each evening after 17:00 UTC). */
const today = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);

/** One request; never throws. status 0 = no HTTP answer (timeout or refused). */
async function request(method, url, { body, token, headers = {} } = {}) {
  const started = Date.now();
  try {
    const res = await fetch(url, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, retryAfter: res.headers.get('retry-after'), started, ms: Date.now() - started };
  } catch (e) {
    return { status: 0, body: null, error: e.name, started, ms: Date.now() - started };
  }
}

async function ok(method, url, opts) {
  const res = await request(method, url, opts);
  if (res.status < 200 || res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

function auditEvent() {
  return { type: 'RECORD_AUDIT', auditedAt: today(), cycle: '2026-S2', causes: ['INADEQUATE_INTAKE'], recommendations: [{ action: 'PMT', opdCode: 'DINKES' }], experts: [{ specialty: 'SpA' }] };
}

function nextCaseEvent(state) {
  switch (state) {
    case 'identified':
      return auditEvent();
    case 'audited':
      return { type: 'START_INTERVENTION', startedAt: today(), description: 'PMT lokal' };
    case 'intervened':
      return { type: 'RECORD_REMEASUREMENT', measuredAt: new Date(Date.now() - 60_000).toISOString(), heightCm: 80, method: 'recumbent' };
    default:
      return { type: 'CONTINUE_INTERVENTION', note: 'lanjut' };
  }
}

async function setup(api, adminPassword) {
  const national = (await ok('POST', `${api}/auth/login`, { body: { username: 'admin', password: adminPassword } })).accessToken;
  await ok('POST', `${api}/opds/seed`, { body: { regencyCode: REGENCY }, token: national });
  const sponsor = await ok('POST', `${api}/sponsors`, { body: { name: 'PT Sehat Sejahtera', type: 'company', regencyCodes: [REGENCY] }, token: national });
  const users = {};
  for (const [username, role, extra] of [
    ['kab.admin', 'admin', {}],
    ['kab.cm', 'case_manager', {}],
    ['kab.cm.pindah', 'case_manager', {}],
    ['csr.mitra', 'csr_partner', { sponsorId: sponsor.id }],
  ]) {
    const password = `Kluster-${role}-Sandi-2026!`;
    const u = await ok('POST', `${api}/users`, { body: { username, password, displayName: username, role, regencyCode: REGENCY, ...extra }, token: national });
    users[username] = { id: u.id, token: (await ok('POST', `${api}/auth/login`, { body: { username, password } })).accessToken };
  }
  return { national, sponsorId: sponsor.id, users };
}

async function newSubject(api, token, name, birthDate = '2024-06-01') {
  return ok('POST', `${api}/subjects`, { body: { targetGroup: 'BALITA', name, sex: 'F', birthDate, villageCode: VILLAGE }, token });
}

async function replicaLag(cluster, probes) {
  const rw = new pg.Client({ connectionString: cluster.rwUrl() });
  const ro = new pg.Client({ connectionString: cluster.roUrl() });
  await rw.connect();
  await ro.connect();
  try {
    await rw.query(`CREATE TABLE IF NOT EXISTS lag_probe (n integer PRIMARY KEY)`);
    const lags = [];
    for (let n = 1; n <= probes; n++) {
      await rw.query(`INSERT INTO lag_probe VALUES ($1)`, [n]);
      const t = Date.now();
      while ((await ro.query(`SELECT 1 FROM lag_probe WHERE n = $1`, [n]).catch(() => ({ rows: [] }))).rows.length === 0) {
        if (Date.now() - t > 30_000) throw new Error('a replica did not see a committed row within 30 s');
        await sleep(2);
      }
      lags.push(Date.now() - t);
      await sleep(200);
    }
    return lags;
  } finally {
    await rw.end();
    await ro.end();
  }
}

async function runOnce(run) {
  console.log(`failover run ${run}`);
  const t0 = Date.now();
  const cluster = await startCluster({ log: (m) => console.log(`  ${m}`) });
  const receiver = { ids: new Set(), hits: 0 };
  const hook = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      receiver.hits += 1;
      receiver.ids.add(String(req.headers[DELIVERY_HEADER]));
      res.writeHead(200).end();
    });
  });
  await new Promise((r) => hook.listen(0, '127.0.0.1', r));
  const hookUrl = `http://127.0.0.1:${hook.address().port}/tuntas`;
  const svcs = [];
  const db = () => new pg.Client({ connectionString: cluster.rwUrl(DB), connectionTimeoutMillis: 5000 });
  try {
    const c = new pg.Client({ connectionString: cluster.rwUrl() });
    await c.connect();
    await c.query(`CREATE DATABASE ${DB}`);
    await c.end();
    const env = {
      ...secrets(),
      DATABASE_URL: cluster.rwUrl(DB),
      DB_POOL_SIZE: '8',
      ESCALATION_SWEEP_INTERVAL_SECONDS: '2',
      NOTIFICATION_DELIVERY_INTERVAL_SECONDS: '1',
      AUTH_CACHE_SECONDS: '300',
      // The test's webhook receiver listens on loopback, which the SSRF guard refuses unless listed.
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      LOG_LEVEL: 'error',
    };
    for (const port of PORTS) {
      const svc = await startService(env, port, ['ignore', 'pipe', 'pipe']);
      svc.errors = [];
      svc.child.stdout.on('data', (d) => svc.errors.push(...d.toString().split('\n').filter((l) => /unexpected error|"level":60/.test(l))));
      svcs.push(svc);
    }
    const [A] = svcs;
    const pids = svcs.map((s) => s.child.pid);
    const w = await setup(A.api, env.ADMIN_PASSWORD);
    const cm = w.users['kab.cm'].token;
    const partner = w.users['csr.mitra'].token;
    await ok('POST', `${A.api}/webhooks`, { body: { url: hookUrl }, token: w.users['kab.admin'].token });

    // Each client owns its cases, subjects and intervention: no two clients race for a version.
    const clients = [];
    for (let k = 0; k < CLIENTS_PER_INSTANCE * svcs.length; k++) {
      const svc = svcs[k % svcs.length];
      const own = { svc, cases: [], subjects: [], intervention: null, n: 0 };
      for (let j = 0; j < 3; j++) {
        const s = await newSubject(A.api, cm, `Anak Kasus ${k}-${j}`);
        const kase = await ok('POST', `${A.api}/cases`, { body: { subjectId: s.id, identifiedAt: today(), source: 'manual' }, token: cm });
        own.cases.push({ id: kase.id, state: kase.state, version: kase.version });
      }
      own.subjects.push(await newSubject(A.api, cm, `Anak Timbang ${k}`));
      const s = await newSubject(A.api, cm, `Anak Intervensi ${k}`);
      const kase = await ok('POST', `${A.api}/cases`, { body: { subjectId: s.id, identifiedAt: today(), source: 'manual' }, token: cm });
      await ok('POST', `${A.api}/cases/${kase.id}/events`, { body: auditEvent(), token: cm, headers: { 'If-Match': `"${kase.version}"` } });
      const iv = await ok('POST', `${A.api}/interventions`, { body: { caseId: kase.id, sponsorId: w.sponsorId, catalogueCode: 'PMT_LOKAL_GIZI_KURANG', plannedStart: today(), budgetIdr: 900_000_000 }, token: cm });
      await ok('POST', `${A.api}/interventions/${iv.id}/events`, { body: { type: 'APPROVE', note: 'Disetujui TPPS' }, token: cm, headers: { 'If-Match': `"${iv.version}"` } });
      own.intervention = iv.id;
      clients.push(own);
    }
    // The user to be disabled after the failover: its token is in both instances' caches.
    const victim = w.users['kab.cm.pindah'];
    for (const s of svcs) await ok('GET', `${s.api}/users/me`, { token: victim.token });

    await sleep(1500); // deliveries are dated after the approvals
    const log = []; // every request of the load: { at, instance, kind, status, ms, retryAfter }
    const acked = { transition: [], measurement: [], delivery: [] };
    let stop = false;
    let ops = 0;
    const one = async (own, k) => {
      const kind = ['transition', 'measurement', 'delivery'][own.n++ % 3];
      const inst = svcs.indexOf(own.svc);
      let res;
      if (kind === 'transition') {
        const kase = own.cases[own.n % own.cases.length];
        const event = nextCaseEvent(kase.state);
        res = await request('POST', `${own.svc.api}/cases/${kase.id}/events`, { body: event, token: cm, headers: { 'If-Match': `"${kase.version}"` } });
        if (res.status === 200) {
          acked.transition.push({ id: kase.id, seq: res.body.version, type: event.type });
          Object.assign(kase, { state: res.body.state, version: res.body.version });
        } else if (res.status === 409 || res.status === 412) {
          // An unacknowledged commit may have landed before the crash: read where the case is.
          const now = await request('GET', `${own.svc.api}/cases/${kase.id}`, { token: cm });
          if (now.status === 200) Object.assign(kase, { state: now.body.state, version: now.body.version });
        }
      } else if (kind === 'measurement') {
        const body = { measuredAt: today(), heightCm: 91, weightKg: 12 + ((k * 100_000 + own.n) % 9_000) / 1000, method: 'standing' };
        res = await request('POST', `${own.svc.api}/subjects/${own.subjects[0].id}/measurements`, { body, token: cm });
        if (res.status === 201) acked.measurement.push(res.body.id);
      } else {
        const body = { deliveredAt: new Date(Date.now() - 1000).toISOString(), quantity: 1, unit: 'paket', amountIdr: 15_000, note: `Antar ${own.n}` };
        res = await request('POST', `${own.svc.api}/interventions/${own.intervention}/deliveries`, { body, token: partner, headers: { 'Idempotency-Key': `antar-${run}-${k}-${own.n}` } });
        if (res.status === 201) acked.delivery.push(res.body.id);
      }
      log.push({ at: res.started, end: res.started + res.ms, instance: inst, kind, status: res.status, ms: res.ms, retryAfter: res.retryAfter, error: res.body?.error ?? res.error });
      // A refusal for the database being away is answered with a pause, as Retry-After asks.
      if (res.status === 503 || res.status === 0) await sleep(200);
    };
    const load = clients.map(async (own, k) => {
      while (!stop && ops < MAX_OPS) {
        ops += 1;
        await one(own, k);
      }
    });

    await sleep(WARM_MS / 2);
    // How stale the read-only port is under this load: a row written on the primary, polled on a replica.
    const lags = await replicaLag(cluster, 5);
    console.log(`  replica lag under load (rw write -> visible on ro): ${lags.map((l) => `${l} ms`).join(', ')}`);
    await sleep(WARM_MS / 2);
    const before = await cluster.leader();
    const postmaster = cluster.postmasterPid(before.index);
    const killedAt = Date.now();
    killTree(postmaster);
    await sleep(1000);
    killTree(cluster.patroniPid(before.index));
    // If Patroni restarted PostgreSQL in that second, that one goes too: the host is gone.
    await sleep(200);
    const restarted = cluster.postmasterPid(before.index);
    if (restarted) killTree(restarted);
    console.log(`  killed ${before.name}: postgres (pid ${postmaster}) -9, then patroni -9${restarted ? ', and the postgres it had restarted' : ''}`);

    // Until each instance has taken a write again that it was sent after the kill, plus 5 s.
    const recovered = () => svcs.every((_, i) => log.some((l) => l.instance === i && l.at > killedAt && l.status >= 200 && l.status < 300));
    while (!recovered() && Date.now() - killedAt < MAX_DOWN_MS && ops < MAX_OPS) await sleep(200);
    const recoveredAt = Date.now();
    await sleep(5000);
    stop = true;
    await Promise.all(load);
    const after = await cluster.leader();

    // The figures.
    const afterKill = log.filter((l) => l.end > killedAt);
    const byStatus = {};
    for (const l of afterKill) byStatus[l.status] = (byStatus[l.status] ?? 0) + 1;
    const lastOkBefore = Math.max(...log.filter((l) => l.status < 300 && l.end <= killedAt + 50).map((l) => l.end));
    const firstOkAfter = Math.min(...log.filter((l) => l.status < 300 && l.at > killedAt).map((l) => l.end));
    const firstFail = Math.min(...log.filter((l) => l.status >= 500 || l.status === 0).map((l) => l.end));
    const count503 = log.filter((l) => l.status === 503).length;
    const totalAcked = acked.transition.length + acked.measurement.length + acked.delivery.length;
    console.log(
      `  leader ${before.name} -> ${after?.name}; ${log.length} requests, ${totalAcked} acknowledged writes ` +
        `(${acked.transition.length} transitions, ${acked.measurement.length} measurements, ${acked.delivery.length} deliveries)`,
    );
    console.log(
      `  unavailability: ${((firstOkAfter - killedAt) / 1000).toFixed(1)} s from the kill to the first write acknowledged after it ` +
        `(${((firstOkAfter - firstFail) / 1000).toFixed(1)} s from the first refusal; last write before the kill acknowledged ${killedAt - lastOkBefore} ms before it); ` +
        `statuses after the kill: ${JSON.stringify(byStatus)}; 503s: ${count503}`,
    );

    check(after && after.name !== before.name, `a replica took over (${before.name} -> ${after?.name}) within ${((recoveredAt - killedAt) / 1000).toFixed(0)} s`);
    const bad = log.filter((l) => !((l.status >= 200 && l.status < 300) || l.status === 409 || l.status === 412 || (l.status === 503 && l.retryAfter)));
    if (bad.length) for (const s of svcs) console.log(`  instance log: ${s.errors.slice(0, 10).join('\n  ')}`);
    check(bad.length === 0, `every answer is a 2xx, a 409/412 on a stale version, or a 503 with Retry-After (${bad.length} others: ${JSON.stringify(bad.slice(0, 5))})`);
    const slowest = Math.max(...log.map((l) => l.ms));
    check(slowest < REQUEST_TIMEOUT_MS, `no request hung past the ${REQUEST_TIMEOUT_MS / 1000} s timeout (slowest ${slowest} ms)`);
    check(count503 > 0, `requests were refused with 503 while there was no primary (${count503})`);
    check(svcs.every((s, i) => s.child.exitCode === null && s.child.signalCode === null && s.child.pid === pids[i]) && recovered(), 'both instances recovered by themselves, without a restart');

    const q = db();
    await q.connect();
    try {
      const have = new Set((await q.query(`SELECT case_id || ':' || seq || ':' || type AS k FROM case_history`)).rows.map((r) => r.k));
      const lostT = acked.transition.filter((a) => !have.has(`${a.id}:${a.seq}:${a.type}`));
      const lostM = acked.measurement.length - (await q.query(`SELECT count(*)::int AS n FROM measurements WHERE id = ANY($1::uuid[])`, [acked.measurement])).rows[0].n;
      const lostD = acked.delivery.length - (await q.query(`SELECT count(*)::int AS n FROM deliveries WHERE id = ANY($1::uuid[])`, [acked.delivery])).rows[0].n;
      check(lostT.length + lostM + lostD === 0, `0 acknowledged writes missing on the new primary (${totalAcked} acknowledged; missing: ${lostT.length} transitions, ${lostM} measurements, ${lostD} deliveries)`);

      // LISTEN/NOTIFY: both listeners are back on the new primary, and a disable is seen by both at once.
      const listeners = async () => (await q.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = 'LISTEN tuntas_user_changed'`)).rows[0].n;
      for (const until = Date.now() + 30_000; (await listeners()) < svcs.length && Date.now() < until; ) await sleep(500);
      check((await listeners()) === svcs.length, 'both instances listen for user changes on the new primary');
      for (const s of svcs) await ok('GET', `${s.api}/users/me`, { token: victim.token }); // cached again on both
      await ok('PATCH', `${A.api}/users/${victim.id}`, { body: { active: false }, token: w.national });
      await sleep(300);
      const refused = await Promise.all(svcs.map((s) => request('GET', `${s.api}/users/me`, { token: victim.token })));
      check(refused.every((r) => r.status === 401), `a user disabled after the failover is refused on both instances (${refused.map((r) => r.status).join(', ')})`);

      // The sweep and the outbox: cases already overdue when opened escalate, and their webhooks arrive.
      const overdue = [];
      for (let j = 0; j < 6; j++) {
        const s = await newSubject(svcs[j % 2].api, cm, `Anak Terlambat ${j}`);
        overdue.push((await ok('POST', `${svcs[j % 2].api}/cases`, { body: { subjectId: s.id, identifiedAt: today(), source: 'manual' }, token: cm })).id);
      }
      // Their first step's deadline passes (the services keep real time; the database is moved instead).
      await q.query(
        `UPDATE step_deadlines SET due_at = now() - interval '1 hour', next_rung_at = now() - interval '1 hour' WHERE aggregate_type = 'case' AND aggregate_id = ANY($1::uuid[])`,
        [overdue],
      );
      let fired = [];
      for (const until = Date.now() + 90_000; Date.now() < until; await sleep(500)) {
        fired = (
          await q.query(
            `SELECT n.id, n.status FROM escalations e JOIN notifications n ON n.escalation_id = e.id AND n.channel = 'webhook' WHERE e.case_id = ANY($1::uuid[])`,
            [overdue],
          )
        ).rows;
        const cases = new Set((await q.query(`SELECT DISTINCT case_id FROM escalations WHERE case_id = ANY($1::uuid[])`, [overdue])).rows.map((r) => r.case_id));
        if (cases.size === overdue.length && fired.length >= overdue.length && fired.every((n) => n.status === 'sent' && receiver.ids.has(n.id))) break;
      }
      check(fired.length >= overdue.length && fired.every((n) => n.status === 'sent' && receiver.ids.has(n.id)), `the sweep and the outbox resumed: ${overdue.length} overdue cases escalated, ${fired.length} webhooks delivered`);

      // The replay invariant, for every aggregate.
      const cases = (await q.query(`SELECT id, version, state, snapshot FROM cases`)).rows;
      const history = (await q.query(`SELECT case_id, seq, type, payload, machine_version, at FROM case_history ORDER BY case_id, seq`)).rows;
      const byCase = new Map();
      for (const h of history) {
        if (!byCase.has(h.case_id)) byCase.set(h.case_id, []);
        byCase.get(h.case_id).push({ caseId: h.case_id, seq: h.seq, type: h.type, payload: h.payload, machineVersion: h.machine_version, at: h.at });
      }
      const caseBad = cases.filter((k) => {
        const entries = byCase.get(k.id) ?? [];
        if (entries.length !== k.version || entries.some((e, i) => e.seq !== i + 1)) return true;
        const replayed = replayCase(entries);
        return canonicalJson(replayed) !== canonicalJson(k.snapshot) || replayed.value !== k.state;
      });
      const chainBad = async (table, historyTable, key) => {
        const rows = (await q.query(`SELECT id, state, version FROM ${table}`)).rows;
        const hist = (await q.query(`SELECT ${key} AS id, seq, from_state, to_state FROM ${historyTable} ORDER BY ${key}, seq`)).rows;
        const by = new Map();
        for (const h of hist) by.set(h.id, [...(by.get(h.id) ?? []), h]);
        return {
          rows: rows.length,
          bad: rows.filter((r) => {
            const hs = by.get(r.id) ?? [];
            if (hs.length !== r.version || hs.some((h, i) => h.seq !== i + 1 || (i > 0 && h.from_state !== hs[i - 1].to_state))) return true;
            return hs.at(-1)?.to_state !== r.state;
          }).length,
        };
      };
      const tasks = await chainBad('tasks', 'task_history', 'task_id');
      const ivs = await chainBad('interventions', 'intervention_history', 'intervention_id');
      check(
        caseBad.length === 0 && tasks.bad === 0 && ivs.bad === 0,
        `every aggregate equals the fold of its history (${cases.length} cases replayed through their machines, ${tasks.rows} tasks, ${ivs.rows} interventions; ${caseBad.length + tasks.bad + ivs.bad} differ)`,
      );
    } finally {
      await q.end();
    }
    console.log(`  (run ${run}: ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  } finally {
    for (const s of svcs) await stopService(s);
    await new Promise((r) => hook.close(r));
    await cluster.stop();
  }
}

const runs = Number(process.argv[2] ?? 1);
let failed = 0;
for (let r = 1; r <= runs; r++) {
  try {
    await runOnce(r);
  } catch (e) {
    failed += 1;
    console.error(`failover run ${r}: ${e.message}`);
  }
}
process.exit(failed ? 1 : 0);
