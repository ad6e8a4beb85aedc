import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import pg from 'pg';

/** This run's migrated template databases (test-database.ts names them after the run's directory). */
async function dropServerTemplates(baseUrl: string, dir: string): Promise<void> {
  const runId = basename(dir).replace(/[^a-z0-9]/gi, '').toLowerCase();
  const c = new pg.Client({ connectionString: baseUrl });
  await c.connect();
  try {
    const rows = await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE '%\\_template\\_' || $1`, [runId]);
    for (const r of rows.rows) await c.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
  } finally {
    await c.end();
  }
}

/** What may never appear in a log line. */
const PATTERNS: [string, RegExp][] = [
  ['a NIK or KK number', /(?<!\d)\d{16}(?!\d)/],
  ['a bearer token', /eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/],
  ['a password', /admin-password-for-tests|pw-[\w.]+-0123456789|kunci-posyandu-1|a-long-password|bench-admin-password|wrong-password-123/],
];

/**
 * After the whole suite: greps every log line every test app wrote for NIKs, tokens, passwords
 * and the names and addresses its database held. One hit fails the run.
 */
export default async function globalTeardown(): Promise<void> {
  const dir = process.env.TUNTAS_TEST_LOG_DIR;
  if (!dir) return;
  if (process.env.TEST_DATABASE_URL) await dropServerTemplates(process.env.TEST_DATABASE_URL, dir);
  const files = readdirSync(dir);
  const names = new Set<string>();
  for (const f of files.filter((x) => x.endsWith('.names.json'))) {
    for (const n of JSON.parse(readFileSync(join(dir, f), 'utf8')) as string[]) if (n.length >= 6) names.add(n.toLowerCase());
  }
  const hits: string[] = [];
  let lines = 0;
  for (const f of files.filter((x) => x.endsWith('.log'))) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      if (!line) continue;
      lines += 1;
      for (const [what, re] of PATTERNS) if (re.test(line)) hits.push(`${what}: ${line.slice(0, 300)}`);
      const lower = line.toLowerCase();
      for (const n of names) if (lower.includes(n)) hits.push(`a name or address ("${n}"): ${line.slice(0, 300)}`);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  if (hits.length) throw new Error(`log hygiene: ${hits.length} of ${lines} log lines carry personal data or secrets:\n${hits.slice(0, 20).join('\n')}`);
  process.stdout.write(`\nlog hygiene: ${lines} log lines from ${files.filter((x) => x.endsWith('.log')).length} test apps checked, none carries a NIK, token, password, name or address\n`);
}
