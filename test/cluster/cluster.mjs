// A PostgreSQL 15 high-availability cluster on this machine's loopback, for the failover test:
// one etcd member, three PostgreSQL instances under Patroni with synchronous replication, and
// HAProxy in front with a read-write port (Patroni's /primary check) and a read-only port
// (/replica). Data lives under a temporary directory that teardown removes.
//
//   node test/cluster/cluster.mjs up      # starts it, prints the URLs, stays up until Ctrl-C
//   import { startCluster } from './cluster.mjs'   # the tests: await startCluster(); … await c.stop()
//
// Debian's packages: patroni, etcd-server, haproxy (PostgreSQL 15 from postgresql-15).
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
// Ports clear of the system PostgreSQL (5432), the benchmarks (3901-3904) and the fault tests (5499).
export const PORTS = {
  etcdClient: 52379,
  etcdPeer: 52380,
  pg: [55421, 55422, 55423],
  rest: [58421, 58422, 58423],
  rw: 55431,
  ro: 55432,
};
export const NODES = ['pg1', 'pg2', 'pg3'];
// Failure detection: the leader key lives `ttl` seconds; Patroni checks every `loop_wait`.
// Patroni requires loop_wait + 2 * retry_timeout <= ttl.
const DCS = { ttl: 15, loop_wait: 2, retry_timeout: 5 };

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const asRoot = process.getuid?.() === 0;

function postgresIds() {
  return { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) };
}

/** Spawns a long-running process with its output in `log`, as the postgres user when we are root. */
function daemon(cmd, args, log, { asPostgres = false } = {}) {
  const out = openSync(log, 'a');
  const [c, a] = asPostgres && asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  // runuser execs the command in place, so the child's pid is the daemon's own pid.
  const child = spawn(c, a, { stdio: ['ignore', out, out], detached: true });
  child.unref();
  return child;
}

function patroniYaml(dir, i) {
  const name = NODES[i];
  return `scope: tuntas
namespace: /tuntas-test/
name: ${name}
log:
  level: WARNING
restapi:
  listen: 127.0.0.1:${PORTS.rest[i]}
  connect_address: 127.0.0.1:${PORTS.rest[i]}
etcd3:
  hosts: 127.0.0.1:${PORTS.etcdClient}
bootstrap:
  dcs:
    ttl: ${DCS.ttl}
    loop_wait: ${DCS.loop_wait}
    retry_timeout: ${DCS.retry_timeout}
    maximum_lag_on_failover: 1048576
    synchronous_mode: true
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        max_connections: 100
        shared_buffers: 64MB
        wal_level: replica
        hot_standby: 'on'
        wal_log_hints: 'on'
        max_wal_senders: 10
        max_replication_slots: 10
        wal_keep_size: 256MB
  initdb:
    - encoding: UTF8
    - locale: C.UTF-8
  pg_hba:
    - local all all trust
    - host replication replicator 127.0.0.1/32 trust
    - host all all 127.0.0.1/32 trust
postgresql:
  listen: 127.0.0.1:${PORTS.pg[i]}
  connect_address: 127.0.0.1:${PORTS.pg[i]}
  data_dir: ${join(dir, name, 'data')}
  bin_dir: ${PG_BIN}
  pgpass: ${join(dir, name, 'pgpass')}
  authentication:
    superuser:
      username: postgres
      password: postgres
    replication:
      username: replicator
      password: replicator
    rewind:
      username: postgres
      password: postgres
  parameters:
    unix_socket_directories: '${join(dir, name)}'
tags:
  nofailover: false
  noloadbalance: false
`;
}

function haproxyCfg() {
  const servers = (check) =>
    NODES.map((n, i) => `  server ${n} 127.0.0.1:${PORTS.pg[i]} maxconn 100 check port ${PORTS.rest[i]}`).join('\n') + `\n  option httpchk GET ${check}`;
  return `global
  maxconn 400
defaults
  mode tcp
  retries 1
  timeout connect 2s
  timeout client 30m
  timeout server 30m
  timeout check 2s
listen rw
  bind 127.0.0.1:${PORTS.rw}
  http-check expect status 200
  default-server inter 1s fall 2 rise 1 on-marked-down shutdown-sessions
${servers('/primary')}
listen ro
  bind 127.0.0.1:${PORTS.ro}
  balance roundrobin
  http-check expect status 200
  default-server inter 1s fall 2 rise 1 on-marked-down shutdown-sessions
${servers('/replica')}
`;
}

async function restJson(port, path) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2000) });
  return { status: res.status, body: await res.json().catch(() => null) };
}

/** Patroni's view of the cluster, from any node that answers. */
export async function clusterState() {
  for (const port of PORTS.rest) {
    try {
      const { body } = await restJson(port, '/cluster');
      if (body?.members) return body.members;
    } catch {
      // that node is down; ask the next
    }
  }
  return [];
}

/** Waits until there is a leader, `replicas` streaming replicas and a synchronous standby. */
export async function waitHealthy({ replicas = 2, timeoutMs = 180_000, exclude = [] } = {}) {
  const until = Date.now() + timeoutMs;
  let last = [];
  while (Date.now() < until) {
    last = (await clusterState()).filter((m) => !exclude.includes(m.name));
    const leader = last.find((m) => m.role === 'leader' && m.state === 'running');
    const streaming = last.filter((m) => (m.role === 'sync_standby' || m.role === 'replica') && (m.state === 'streaming' || m.state === 'running'));
    if (leader && streaming.length >= replicas && last.some((m) => m.role === 'sync_standby')) return { leader, members: last };
    await sleep(500);
  }
  throw new Error(`the cluster did not become healthy: ${JSON.stringify(last.map((m) => [m.name, m.role, m.state]))}`);
}

async function waitPort(port, timeoutMs) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      execFileSync(join(PG_BIN, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-q', '-t', '2']);
      return;
    } catch {
      await sleep(300);
    }
  }
  throw new Error(`nothing answered on port ${port} within ${timeoutMs} ms`);
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The postmaster pid of a node's data directory, if it runs. */
export function postmasterPid(dir, name) {
  try {
    const pid = Number(readFileSync(join(dir, name, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    return pid && alive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** A process and every descendant (children first listed last), from /proc. */
function withDescendants(pid) {
  const all = [pid];
  for (let k = 0; k < all.length; k++) {
    try {
      const kids = readFileSync(`/proc/${all[k]}/task/${all[k]}/children`, 'utf8').trim();
      if (kids) all.push(...kids.split(/\s+/).map(Number));
    } catch {
      // gone already
    }
  }
  return all;
}

/** kill -9 of one process and all its children (a crashed PostgreSQL leaves none behind). */
export function killTree(pid) {
  for (const p of withDescendants(pid)) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export async function startCluster({ log = console.log } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tuntas-cluster-'));
  chmodSync(dir, 0o755); // the postgres user reaches its node's directory
  const procs = { patroni: [] };
  const ids = asRoot ? postgresIds() : undefined;
  const started = Date.now();
  const cluster = {
    dir,
    ports: PORTS,
    rwUrl: (db = 'postgres') => `postgres://postgres@127.0.0.1:${PORTS.rw}/${db}`,
    roUrl: (db = 'postgres') => `postgres://postgres@127.0.0.1:${PORTS.ro}/${db}`,
    nodeUrl: (i, db = 'postgres') => `postgres://postgres@127.0.0.1:${PORTS.pg[i]}/${db}`,
    procs,
    /** The node currently holding the leader key. */
    async leader() {
      const m = (await clusterState()).find((x) => x.role === 'leader');
      return m ? { name: m.name, index: NODES.indexOf(m.name) } : undefined;
    },
    patroniPid: (i) => procs.patroni[i]?.pid,
    postmasterPid: (i) => postmasterPid(dir, NODES[i]),
    async stop() {
      for (const p of procs.patroni) if (p && alive(p.pid)) process.kill(p.pid, 'SIGTERM');
      const until = Date.now() + 30_000;
      while (Date.now() < until && procs.patroni.some((p) => p && alive(p.pid))) await sleep(200);
      for (const p of procs.patroni) if (p && alive(p.pid)) killTree(p.pid);
      for (const n of NODES) {
        const pid = postmasterPid(dir, n);
        if (pid) killTree(pid);
      }
      for (const p of [procs.haproxy, procs.etcd]) if (p && alive(p.pid)) process.kill(p.pid, 'SIGKILL');
      await sleep(300);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    mkdirSync(join(dir, 'etcd'));
    procs.etcd = daemon(
      'etcd',
      [
        '--name', 'e1', '--data-dir', join(dir, 'etcd'),
        '--listen-client-urls', `http://127.0.0.1:${PORTS.etcdClient}`, '--advertise-client-urls', `http://127.0.0.1:${PORTS.etcdClient}`,
        '--listen-peer-urls', `http://127.0.0.1:${PORTS.etcdPeer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${PORTS.etcdPeer}`,
        '--initial-cluster', `e1=http://127.0.0.1:${PORTS.etcdPeer}`, '--initial-cluster-state', 'new', '--log-level', 'warn',
      ],
      join(dir, 'etcd.log'),
    );
    for (let k = 0; ; k++) {
      try {
        if ((await fetch(`http://127.0.0.1:${PORTS.etcdClient}/health`, { signal: AbortSignal.timeout(1000) })).ok) break;
      } catch {
        // starting
      }
      if (k > 100) throw new Error('etcd did not start');
      await sleep(200);
    }
    for (let i = 0; i < NODES.length; i++) {
      const nodeDir = join(dir, NODES[i]);
      mkdirSync(nodeDir, { mode: 0o700 });
      writeFileSync(join(nodeDir, 'patroni.yml'), patroniYaml(dir, i));
      if (ids) chownSync(nodeDir, ids.uid, ids.gid);
      if (ids) chownSync(join(nodeDir, 'patroni.yml'), ids.uid, ids.gid);
    }
    writeFileSync(join(dir, 'haproxy.cfg'), haproxyCfg());
    procs.haproxy = daemon('haproxy', ['-db', '-f', join(dir, 'haproxy.cfg')], join(dir, 'haproxy.log'));
    // The first node bootstraps alone, so it is the leader; the others then clone it.
    cluster.startPatroni = (i) => {
      procs.patroni[i] = daemon('patroni', [join(dir, NODES[i], 'patroni.yml')], join(dir, `${NODES[i]}.log`), { asPostgres: true });
    };
    cluster.startPatroni(0);
    // synchronous_mode: a sync standby exists only once a standby does, so wait for the leader alone.
    for (const until = Date.now() + 120_000; !(await clusterState()).some((m) => m.role === 'leader' && m.state === 'running'); await sleep(500)) {
      if (Date.now() > until || procs.patroni[0].exitCode !== null) throw new Error(`pg1 did not bootstrap; see ${join(dir, 'pg1.log')}`);
    }
    cluster.startPatroni(1);
    cluster.startPatroni(2);
    const { leader } = await waitHealthy({ replicas: 2 });
    await waitPort(PORTS.rw, 30_000);
    await waitPort(PORTS.ro, 30_000);
    log(`cluster up in ${((Date.now() - started) / 1000).toFixed(0)} s: leader ${leader.name}, rw ${PORTS.rw}, ro ${PORTS.ro}, data in ${dir}`);
    return cluster;
  } catch (e) {
    for (const n of NODES) {
      try {
        log(`--- ${n}.log\n${readFileSync(join(dir, `${n}.log`), 'utf8').split('\n').slice(-15).join('\n')}`);
      } catch {
        // no log
      }
    }
    await cluster.stop();
    throw e;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const cmd = process.argv[2] ?? 'up';
  if (cmd !== 'up') {
    console.error('usage: node test/cluster/cluster.mjs up');
    process.exit(2);
  }
  const c = await startCluster();
  console.log(`read-write: ${c.rwUrl()}\nread-only:  ${c.roUrl()}\nCtrl-C stops and removes it.`);
  const stop = async () => {
    await c.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
