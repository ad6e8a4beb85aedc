// PK/Verval family import: 100,000 families (about 1% bad rows), imported through the CLI and
// then imported again, against \copy of the same file into a plain table on the same server in
// the same run. Fails unless the first run takes every good row and reports every bad one, and
// the second adds nothing.
//   npm run bench:families   (BENCH_ROWS=... to change the size)
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, rmSync } from 'node:fs';
import { FAMILY_HEADER, generateFamilies } from '../dist/bench/gen-families.js';
import { adminQuery } from './pg-admin.mjs';

const PG = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432';
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const DB = 'tuntas_bench_families';
const FILE = `/tmp/tuntas-bench-families-${ROWS}.csv`;

const out = createWriteStream(FILE);
out.write(`\uFEFF${FAMILY_HEADER}\n`);
let faults = 0;
for await (const row of generateFamilies({ rows: ROWS, seed: 11 })) {
  if (row.fault) faults += 1;
  if (!out.write(`${row.line}\n`)) await new Promise((r) => out.once('drain', r));
}
await new Promise((r) => out.end(r));

const env = {
  ...process.env,
  JWT_SECRET: randomBytes(32).toString('hex'),
  NIK_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  NIK_HMAC_KEY: randomBytes(32).toString('hex'),
  ADMIN_PASSWORD: 'bench-admin-password',
  LOG_LEVEL: 'warn',
};
const summaryOf = (stderr) => {
  const m = /rows (\S+)\s+taken (\S+)\s+duplicate (\S+)\s+rejected (\S+)/.exec(stderr);
  const rate = /([\d.]+) s, (\d+) rows\/s, peak RSS (\d+) MiB/.exec(stderr);
  const n = (s) => Number(s.replaceAll(',', ''));
  return { read: n(m[1]), taken: n(m[2]), duplicate: n(m[3]), rejected: n(m[4]), seconds: Number(rate[1]), rate: Number(rate[2]), rss: Number(rate[3]) };
};

await adminQuery(PG, `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
await adminQuery(PG, `CREATE DATABASE ${DB}`);
try {
  const url = `${PG}/${DB}`;
  execFileSync('psql', [url, '-qc', `CREATE TABLE raw_families (${FAMILY_HEADER.split(';').map((_, i) => `c${i} text`).join(', ')})`]);
  let t = performance.now();
  execFileSync('psql', [url, '-qc', `\\copy raw_families FROM '${FILE}' WITH (FORMAT csv, HEADER true, DELIMITER ';')`]);
  const copyRate = ROWS / ((performance.now() - t) / 1000);
  const run = () => {
    const r = spawnSync(process.execPath, ['dist/src/import-cli.js', FILE, '--regency', '3216', '--families'], { env: { ...env, DATABASE_URL: url }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`import failed:\n${r.stderr}`);
    return summaryOf(r.stderr);
  };
  const first = run();
  const second = run();
  const families = Number(execFileSync('psql', [url, '-Atc', 'SELECT count(*) FROM families']).toString());
  const assessments = Number(execFileSync('psql', [url, '-Atc', 'SELECT count(*) FROM krs_assessments']).toString());
  const rejections = Number(execFileSync('psql', [url, '-Atc', 'SELECT count(DISTINCT (import_id, row_number)) FROM import_rejections']).toString());
  console.log(`${ROWS.toLocaleString('en')} generated families (${faults} bad rows), PostgreSQL at ${new URL(PG).host}`);
  console.log(`\\copy into a plain table        ${copyRate.toFixed(0).padStart(8)} rows/s`);
  console.log(`first import   ${String(first.rate).padStart(8)} rows/s  ${first.seconds} s  taken ${first.taken}  rejected ${first.rejected}  peak RSS ${first.rss} MiB`);
  console.log(`second import  ${String(second.rate).padStart(8)} rows/s  ${second.seconds} s  taken ${second.taken}  duplicate ${second.duplicate}  rejected ${second.rejected}`);
  console.log(`ratio first import / \\copy = ${(first.rate / copyRate).toFixed(3)}`);
  console.log(`stored: ${families} families, ${assessments} assessments; per-row report: ${rejections} rejected rows over both runs`);
  const ok =
    first.read === ROWS && first.taken === ROWS - faults && first.rejected === faults &&
    second.taken === 0 && second.duplicate === ROWS - faults && second.rejected === faults &&
    families === ROWS - faults && assessments === ROWS - faults && rejections === 2 * faults;
  if (!ok) {
    console.error('FAILED: the import did not take every good row once and report every bad one');
    process.exitCode = 1;
  }
} finally {
  await adminQuery(PG, `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  rmSync(FILE, { force: true });
}
