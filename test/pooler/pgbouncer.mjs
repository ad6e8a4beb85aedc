// PgBouncer in transaction mode in front of a PostgreSQL server, on 127.0.0.1, for the suite and
// the benchmark run through a pooler. Debian's pgbouncer 1.18 keeps no prepared statements in
// transaction mode, so the service runs with DB_NAMED_STATEMENTS=false behind it.
//
//   node test/pooler/pgbouncer.mjs <command …>   # runs the command with PGBOUNCER_URL set, then stops it
//   import { startPgbouncer } from './pgbouncer.mjs'
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const PGBOUNCER_PORT = Number(process.env.PGBOUNCER_PORT ?? 56432);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts pgbouncer for `server` (host:port of PostgreSQL); returns its URL prefix and stop(). */
export async function startPgbouncer({ serverHost = '127.0.0.1', serverPort = 5432, port = PGBOUNCER_PORT, poolSize = 20 } = {}) {
  let busy = false;
  try {
    execFileSync('pg_isready', ['-h', '127.0.0.1', '-p', String(port), '-q', '-t', '1']);
    busy = true;
  } catch {
    // free
  }
  if (busy) throw new Error(`something already answers on port ${port}; set PGBOUNCER_PORT`);
  const dir = mkdtempSync(join(tmpdir(), 'tuntas-pgbouncer-'));
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'users.txt'), '"postgres" ""\n');
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    `[databases]
* = host=${serverHost} port=${serverPort}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir = ${dir}
auth_type = trust
auth_file = ${join(dir, 'users.txt')}
admin_users = postgres
pool_mode = transaction
default_pool_size = ${poolSize}
max_client_conn = 2000
ignore_startup_parameters = extra_float_digits
logfile = ${join(dir, 'pgbouncer.log')}
log_connections = 0
log_disconnections = 0
`,
  );
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    // pgbouncer will not run as root.
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    for (const f of ['', 'users.txt', 'pgbouncer.ini']) chownSync(join(dir, f), uid, gid);
  }
  // pgbouncer drops root itself with -u, so the child is pgbouncer and stop() reaches it.
  const child = spawn('pgbouncer', [...(asRoot ? ['-u', 'postgres'] : []), join(dir, 'pgbouncer.ini')], { stdio: 'ignore' });
  const url = `postgres://postgres@127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      execFileSync('pg_isready', ['-h', '127.0.0.1', '-p', String(port), '-q', '-t', '1', '-d', 'postgres']);
      break;
    } catch {
      if (child.exitCode !== null || i > 100) {
        let log = '';
        try {
          log = readFileSync(join(dir, 'pgbouncer.log'), 'utf8');
        } catch {
          // none
        }
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`pgbouncer did not start on ${port}\n${log}`);
      }
      await sleep(100);
    }
  }
  return {
    url,
    dir,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGINT');
        await Promise.race([exited, sleep(5000)]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [cmd, ...args] = process.argv.slice(2);
  if (!cmd) {
    console.error('usage: node test/pooler/pgbouncer.mjs <command …>');
    process.exit(2);
  }
  const bouncer = await startPgbouncer();
  console.log(`pgbouncer (transaction mode) on ${bouncer.url}`);
  const run = spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, PGBOUNCER_URL: bouncer.url } });
  const code = await new Promise((r) => run.once('exit', (c, s) => r(c ?? (s ? 1 : 0))));
  await bouncer.stop();
  process.exit(code);
}
