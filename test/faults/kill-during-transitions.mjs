// kill -9 of the service at a random moment during 1,000 concurrent transitions. After a restart:
// every case's stored state equals the replay of its history, every history is gapless, and
// every transition that got a 2xx before the kill is there.
import pg from 'pg';
import { canonicalJson } from '../../dist/src/modules/audit/audit-chain.js';
import { replayCase } from '../../dist/src/modules/cases/case-replay.js';
import { adminQuery, call, caseManager, check, must, pool, secrets, SERVER, startService, stopService } from './lib.mjs';

const DB = 'tuntas_fault_kill';
const CASES = 200;
const TRANSITIONS = 1000;
const PORT = 3921;

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

export async function killDuringTransitions() {
  console.log('fault: kill -9 during 1,000 concurrent transitions');
  await adminQuery(SERVER, `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await adminQuery(SERVER, `CREATE DATABASE ${DB}`);
  const env = { ...secrets(), DATABASE_URL: `${SERVER}/${DB}`, DB_POOL_SIZE: '10' };
  let svc = await startService(env, PORT);
  try {
    const { admin, token } = await caseManager(svc.api, env.ADMIN_PASSWORD);
    await must('POST', `${svc.api}/opds/seed`, { regencyCode: '3216' }, admin);
    const cases = [];
    await pool(CASES, 16, async (i) => {
      const s = await must('POST', `${svc.api}/subjects`, { targetGroup: 'BALITA', name: `Anak ${i}`, sex: 'F', birthDate: '2024-06-01', villageCode: '3216062005' }, token);
      const c = await must('POST', `${svc.api}/cases`, { subjectId: s.id, identifiedAt: '2026-01-02', source: 'manual' }, token);
      cases.push({ id: c.id, state: c.state, version: c.version, busy: false });
    });

    // 50 clients, each working its own cases; the service dies somewhere in the middle.
    const acked = [];
    let sent = 0;
    const killAt = 250 + Math.floor(Math.random() * 500);
    let killed = false;
    await pool(TRANSITIONS, 50, async (i) => {
      const c = cases[i % CASES];
      if (killed || c.busy) return;
      c.busy = true;
      try {
        const event = nextEvent(c.state, Date.now());
        sent += 1;
        if (!killed && sent >= killAt) {
          killed = true;
          svc.child.kill('SIGKILL');
        }
        const res = await call('POST', `${svc.api}/cases/${c.id}/events`, event, token, { 'If-Match': `"${c.version}"` }).catch(() => null);
        if (res && res.status === 200) {
          acked.push({ id: c.id, version: res.body.version, type: event.type });
          c.state = res.body.state;
          c.version = res.body.version;
        }
      } finally {
        c.busy = false;
      }
    });
    if (svc.child.exitCode === null && svc.child.signalCode === null) await new Promise((r) => svc.child.once('exit', r));
    console.log(`  killed after ${sent} transitions sent, ${acked.length} acknowledged`);

    svc = await startService(env, PORT);
    const db = new pg.Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    try {
      const stored = (await db.query(`SELECT id, version, state, snapshot FROM cases`)).rows;
      const history = (await db.query(`SELECT case_id, seq, type, payload, machine_version, at FROM case_history ORDER BY case_id, seq`)).rows;
      const byCase = new Map();
      for (const h of history) {
        if (!byCase.has(h.case_id)) byCase.set(h.case_id, []);
        byCase.get(h.case_id).push({ caseId: h.case_id, seq: h.seq, type: h.type, payload: h.payload, machineVersion: h.machine_version, at: h.at });
      }
      let gapless = true;
      let replays = true;
      for (const c of stored) {
        const entries = byCase.get(c.id) ?? [];
        if (entries.length !== c.version || entries.some((e, k) => e.seq !== k + 1)) gapless = false;
        const replayed = replayCase(entries);
        // jsonb keeps no key order: compare canonical forms.
        if (canonicalJson(replayed) !== canonicalJson(c.snapshot) || replayed.value !== c.state) replays = false;
      }
      check(gapless, `every case history is gapless (seq 1..version), ${stored.length} cases`);
      check(replays, 'every stored state equals the replay of its history');
      const have = new Set(history.map((h) => `${h.case_id}:${h.seq}:${h.type}`));
      const lost = acked.filter((a) => !have.has(`${a.id}:${a.version}:${a.type}`));
      check(lost.length === 0, `every acknowledged transition is there (${acked.length} of ${acked.length}, ${lost.length} lost)`);
      const after = await call('POST', `${svc.api}/cases/${cases[0].id}/events`, nextEvent((await must('GET', `${svc.api}/cases/${cases[0].id}`, undefined, token)).state, Date.now()), token, {
        'If-Match': `"${(await must('GET', `${svc.api}/cases/${cases[0].id}`, undefined, token)).version}"`,
      });
      check(after.status === 200, 'the restarted service takes transitions again');
    } finally {
      await db.end();
    }
  } finally {
    await stopService(svc);
    await adminQuery(SERVER, `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  }
}
