// The database is stopped (pg_ctl stop -m immediate, a crash) under load, then started again.
// Requests fail fast with 503 while it is down, the service recovers by itself within 30 s,
// and nothing acknowledged is lost. Runs on a private PostgreSQL cluster on port 5499, so the
// shared server is never stopped.
import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { adminQuery, call, caseManager, check, secrets, startService, stopService } from './lib.mjs';

const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const PORT = 5499;
const SERVER = `postgres://postgres@127.0.0.1:${PORT}`;

function pgCtl(dir, ...args) {
  const cmd = [join(BIN, 'pg_ctl'), '-D', dir, ...args];
  const asRoot = process.getuid?.() === 0;
  execFileSync(asRoot ? 'runuser' : cmd[0], asRoot ? ['-u', 'postgres', '--', ...cmd] : cmd.slice(1), { stdio: 'ignore' });
}

export async function databaseStopped() {
  console.log('fault: the database crashes (stop -m immediate) under load, then comes back');
  const dir = mkdtempSync(join(tmpdir(), 'tuntas-fault-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
  const initdb = [join(BIN, 'initdb'), '-D', dir, '-A', 'trust', '-U', 'postgres', '--no-instructions'];
  execFileSync(asRoot ? 'runuser' : initdb[0], asRoot ? ['-u', 'postgres', '--', ...initdb] : initdb.slice(1), { stdio: 'ignore' });
  const options = `-p ${PORT} -c listen_addresses=127.0.0.1 -k ${dir}`;
  pgCtl(dir, '-o', options, '-l', join(dir, 'log'), '-w', 'start');
  let svc;
  try {
    await adminQuery(SERVER, 'CREATE DATABASE tuntas_fault_db');
    const env = { ...secrets(), DATABASE_URL: `${SERVER}/tuntas_fault_db`, DB_POOL_SIZE: '8', AUTH_CACHE_SECONDS: '0' };
    svc = await startService(env, 3922);
    const { token } = await caseManager(svc.api, env.ADMIN_PASSWORD);

    const acked = [];
    const whileDown = [];
    let phase = 'up';
    let n = 0;
    const writer = async () => {
      while (phase !== 'done') {
        const started = Date.now();
        const seenIn = phase;
        const res = await call('POST', `${svc.api}/subjects`, { targetGroup: 'BALITA', name: `Anak ${n++}`, sex: 'M', birthDate: '2024-01-01', villageCode: '3216062005' }, token).catch(
          () => ({ status: 0, body: null }),
        );
        if (res.status === 201) acked.push(res.body.id);
        if (seenIn === 'down' && phase === 'down') whileDown.push({ status: res.status, ms: Date.now() - started });
        if (res.status !== 201) await new Promise((r) => setTimeout(r, 50));
      }
    };
    const writers = Array.from({ length: 8 }, writer);
    await new Promise((r) => setTimeout(r, 2000));
    pgCtl(dir, '-m', 'immediate', 'stop');
    phase = 'down';
    await new Promise((r) => setTimeout(r, 5000));
    const beforeRestart = acked.length;
    pgCtl(dir, '-o', options, '-l', join(dir, 'log'), '-w', 'start');
    const restartedAt = Date.now();
    phase = 'recovering';
    let recoveredAfter = null;
    while (Date.now() - restartedAt < 30_000) {
      const res = await call('POST', `${svc.api}/subjects`, { targetGroup: 'BALITA', name: 'Anak pulih', sex: 'F', birthDate: '2024-01-01', villageCode: '3216062005' }, token).catch(() => ({ status: 0 }));
      if (res.status === 201) {
        recoveredAfter = Date.now() - restartedAt;
        acked.push(res.body.id);
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    await new Promise((r) => setTimeout(r, 1000));
    phase = 'done';
    await Promise.all(writers);

    const statuses = [...new Set(whileDown.map((w) => w.status))];
    const slowest = Math.max(...whileDown.map((w) => w.ms));
    check(whileDown.length > 0 && statuses.every((s) => s === 503), `requests while the database is down get 503 (${whileDown.length} requests, statuses ${statuses.join(', ')})`);
    check(slowest < 2000, `and fail fast: the slowest took ${slowest} ms`);
    check(recoveredAfter !== null, `the service recovered by itself ${recoveredAfter} ms after the database came back (limit 30 s)`);
    check(acked.length > beforeRestart, `it takes writes again (${acked.length - beforeRestart} acknowledged after the restart)`);
    const db = new pg.Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    const found = (await db.query(`SELECT count(*)::int AS n FROM subjects WHERE id = ANY($1::uuid[])`, [acked])).rows[0].n;
    await db.end();
    check(found === acked.length, `nothing acknowledged is lost (${found} of ${acked.length} subjects there)`);
  } finally {
    if (svc) await stopService(svc);
    try {
      pgCtl(dir, '-m', 'immediate', 'stop');
    } catch {
      // already stopped
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
