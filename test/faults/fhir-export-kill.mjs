/* global FormData, Blob */
// The FHIR export through everything that goes wrong in the field: 1,000 imported readings, a
// receiver outage (500s), a token that expires (401), and a kill -9 of the service after the
// receiver stored a bundle and before the service could mark it sent. After a restart, each
// reading is at the receiver exactly once, counted there by its identifier. On the PostgreSQL
// server and on the embedded database (PGlite in the service's own process, killed with it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { FhirReceiver, posyanduCsv } from '../../dist/test/support/fhir-receiver.js';
import { adminQuery, caseManager, check, must, secrets, SERVER, startService, stopService } from './lib.mjs';

const DB = 'tuntas_fault_fhir';
const PORT = 3922;
const CHILDREN = 250;
const MONTHS = 4;

async function upload(api, token, csv) {
  const form = new FormData();
  form.set('regencyCode', '3216');
  form.set('file', new Blob([csv]), 'eppgbm.csv');
  const res = await fetch(`${api}/imports/eppgbm`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
  if (res.status !== 202) throw new Error(`upload: ${res.status} ${await res.text()}`);
  const { id } = await res.json();
  for (;;) {
    const job = await must('GET', `${api}/imports/${id}`, undefined, token);
    if (job.status === 'done' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The export rows as the test reads them: through SQL on the server; on the embedded database,
 * which only the service's process can open, through the admin's GET /fhir-exports.
 */
function exportRows(db) {
  if (db) return async () => (await db.query(`SELECT status, measurement_id::text AS "measurementId" FROM fhir_exports`)).rows;
  return async (api, admin) => {
    const rows = [];
    let cursor;
    do {
      const page = await must('GET', `${api}/fhir-exports?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, undefined, admin);
      rows.push(...page.items.map((e) => ({ status: e.status, measurementId: e.measurementId })));
      cursor = page.nextCursor;
    } while (cursor);
    return rows;
  };
}

const byStatus = (rows) => Object.entries(rows.reduce((n, r) => ({ ...n, [r.status]: (n[r.status] ?? 0) + 1 }), {})).map(([status, n]) => ({ status, n }));

export async function fhirExportKill(mode = 'server') {
  console.log(`fault: FHIR export through an outage, a token expiry and a kill -9 between send and mark (${mode === 'server' ? 'PostgreSQL server' : 'embedded PGlite'})`);
  const embedded = mode === 'embedded';
  const dataDir = embedded ? mkdtempSync(join(tmpdir(), 'tuntas-fault-fhir-')) : null;
  if (!embedded) {
    await adminQuery(SERVER, `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    await adminQuery(SERVER, `CREATE DATABASE ${DB}`);
  }
  const receiver = await new FhirReceiver().start();
  const env = {
    ...secrets(),
    ...(embedded ? { DATA_DIR: dataDir } : { DATABASE_URL: `${SERVER}/${DB}` }),
    FHIR_ALLOWED_HOSTS: '127.0.0.1',
    FHIR_EXPORT_INTERVAL_SECONDS: '1',
    FHIR_EXPORT_LEASE_SECONDS: '5',
    FHIR_EXPORT_BACKOFF_SECONDS: '1',
  };
  let svc = await startService(env, PORT);
  const db = embedded ? null : new pg.Client({ connectionString: env.DATABASE_URL });
  await db?.connect();
  const rowsOf = exportRows(db);
  try {
    const { admin, token } = await caseManager(svc.api, env.ADMIN_PASSWORD);
    // 200 go through, then 100 answers of an outage, then the token expires, then 600 stored bundles in the service dies before marking.
    receiver.cue('ok', 200);
    receiver.cue('500', 100);
    receiver.cue('401');
    let killedAt = 0;
    receiver.afterStore = (n) => {
      if (n === 600 && !killedAt) {
        killedAt = n;
        svc.child.kill('SIGKILL');
      }
    };
    await must('PUT', `${svc.api}/fhir-settings/3216`, {
      enabled: true, baseUrl: receiver.fhirUrl, tokenUrl: receiver.tokenUrl, clientId: receiver.clientId, clientSecret: receiver.clientSecret, organizationId: '100026342',
    }, admin);
    const job = await upload(svc.api, token, posyanduCsv(CHILDREN, MONTHS).csv);
    check(job.status === 'done' && job.rowsTaken === CHILDREN * MONTHS, `the import took ${job.rowsTaken} readings and queued their exports`);

    for (let i = 0; !killedAt; i++) {
      if (i > 1200) throw new Error('the service was never killed: the exports did not get that far');
      await new Promise((r) => setTimeout(r, 100));
    }
    if (svc.child.exitCode === null && svc.child.signalCode === null) await new Promise((r) => svc.child.once('exit', r));
    const stored = receiver.count('Encounter');
    if (embedded) {
      // The rows as the kill left them, read by a start with the dispatcher off, before it can send again.
      svc = await startService({ ...env, FHIR_EXPORT_INTERVAL_SECONDS: '0' }, PORT);
    }
    const atKill = await rowsOf(svc.api, admin);
    console.log(`  killed after the receiver stored bundle ${killedAt}; export rows then: ${JSON.stringify(byStatus(atKill))}`);
    const marked = atKill.filter((r) => r.status === 'sent').length;
    check(stored > marked, `the receiver holds ${stored} readings, the service had marked ${marked} sent: some were sent and not marked`);

    if (embedded) await stopService(svc);
    svc = await startService(env, PORT);
    let rows;
    for (let i = 0; ; i++) {
      rows = await rowsOf(svc.api, admin);
      const n = rows.filter((r) => r.status !== 'sent').length;
      if (n === 0) break;
      if (i > 900) throw new Error(`${n} exports still not sent after 3 minutes`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const encounters = [...receiver.created].filter(([k]) => k.startsWith('Encounter|'));
    const ids = new Set(rows.map((r) => r.measurementId));
    check(encounters.length === CHILDREN * MONTHS && encounters.every(([k]) => ids.has(k.split('|')[2])), `the receiver has ${encounters.length} encounters, one per reading`);
    check([...receiver.created.values()].every((n) => n === 1), `each of its ${receiver.created.size} resources was created once (by identifier)`);
    check(receiver.count('Observation') === 2 * CHILDREN * MONTHS, `${receiver.count('Observation')} observations: a weight and a height per reading`);
    const twice = [...receiver.received].filter(([, n]) => n > 1).length;
    check(twice >= 1, `${twice} readings arrived again after the restart (sent, not marked, leased again) and created nothing new`);
    check(receiver.stats.unauthorised >= 1 && receiver.stats.tokenRequests >= 3, `the expired token was renewed (${receiver.stats.tokenRequests} token requests, ${receiver.stats.unauthorised} refused)`);
    check(receiver.problems.length === 0 && receiver.stats.invalid === 0, 'every bundle the receiver got was valid');
  } finally {
    await db?.end();
    await stopService(svc);
    await receiver.stop();
    if (embedded) rmSync(dataDir, { recursive: true, force: true });
    else await adminQuery(SERVER, `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  }
}
