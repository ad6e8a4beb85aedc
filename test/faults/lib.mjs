// Shared helpers of the fault scripts: a service process on a database, HTTP calls, checks.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const SERVER = process.env.FAULTS_PG ?? 'postgres://postgres@127.0.0.1:5432';

export async function adminQuery(serverUrl, sql) {
  const c = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

export const secrets = () => ({
  JWT_SECRET: randomBytes(32).toString('hex'),
  NIK_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  NIK_HMAC_KEY: randomBytes(32).toString('hex'),
  ADMIN_PASSWORD: 'faults-admin-password',
  LOG_LEVEL: 'warn',
  RATE_LIMIT_PER_MINUTE: '0',
  ESCALATION_SWEEP_INTERVAL_SECONDS: '0',
  NOTIFICATION_DELIVERY_INTERVAL_SECONDS: '0',
  RETENTION_SWEEP_INTERVAL_SECONDS: '0',
});

/** Starts dist/src/main.js with `env` on `port` and waits for /health. */
export async function startService(env, port, stdio = ['ignore', 'ignore', 'pipe']) {
  const child = spawn(process.execPath, ['dist/src/main.js'], { env: { ...process.env, ...env, PORT: String(port) }, stdio });
  child.stderr.on('data', () => undefined);
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 240) throw new Error('the service did not start');
    await new Promise((r) => setTimeout(r, 250));
  }
  return { child, base, api: `${base}/api/v1` };
}

export async function stopService(svc, signal = 'SIGTERM') {
  if (svc.child.exitCode !== null || svc.child.signalCode !== null) return;
  const exited = new Promise((r) => svc.child.once('exit', r));
  svc.child.kill(signal);
  await exited;
}

export async function call(method, url, body, token, headers = {}) {
  const res = await fetch(url, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

export async function must(method, url, body, token, headers) {
  const res = await call(method, url, body, token, headers);
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A case manager of 3216 and a token for them. */
export async function caseManager(api, adminPassword) {
  const admin = (await must('POST', `${api}/auth/login`, { username: 'admin', password: adminPassword })).accessToken;
  await must('POST', `${api}/users`, { username: 'faults.cm', password: 'faults-cm-password', displayName: 'Faults', role: 'case_manager', regencyCode: '3216' }, admin);
  const token = (await must('POST', `${api}/auth/login`, { username: 'faults.cm', password: 'faults-cm-password' })).accessToken;
  return { admin, token };
}

export function check(condition, what) {
  if (!condition) throw new Error(`FAILED: ${what}`);
  console.log(`  ok  ${what}`);
}

/** Runs `work(i)` for i in [0, n) with at most `concurrency` at once. */
export async function pool(n, concurrency, work) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) await work(i);
    }),
  );
}
