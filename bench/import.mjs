// e-PPGBM import against \copy of the same CSV into a plain table, on the same server, in the
// same run (targets: >= 0.25 x the \copy rate, Node peak RSS <= 512 MiB).
//   npm run bench:import   (BENCH_ROWS=1000000 for the full figure; default 100,000)
//   BENCH_FORMAT=excel: the file as Excel saves an e-PPGBM export (;, decimal commas, BOM, CRLF,
//   village names resolved to codes, derived columns): the default since districts send that.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, rmSync } from 'node:fs';
import { EXCEL_HEADER, generateEppgbm, generateExcelRows, HEADER } from '../dist/bench/gen-eppgbm.js';
import { adminQuery } from './pg-admin.mjs';

const PG = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432';
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const DB = 'tuntas_bench_import';
const EXCEL = (process.env.BENCH_FORMAT ?? 'excel') === 'excel';
const FILE = `/tmp/tuntas-bench-eppgbm-${EXCEL ? 'excel-' : ''}${ROWS}.csv`;
const COLUMNS = (EXCEL ? EXCEL_HEADER.split(';') : HEADER.split(',')).length;
const EOL = EXCEL ? '\r\n' : '\n';

const out = createWriteStream(FILE);
out.write(EXCEL ? `\ufeff${EXCEL_HEADER}${EOL}` : `${HEADER}${EOL}`);
for await (const row of (EXCEL ? generateExcelRows : generateEppgbm)({ rows: ROWS, seed: 11 })) {
  if (!out.write(`${row.line}${EOL}`)) await new Promise((r) => out.once('drain', r));
}
await new Promise((r) => out.end(r));

await adminQuery(PG, `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
await adminQuery(PG, `CREATE DATABASE ${DB}`);
try {
  const url = `${PG}/${DB}`;
  execFileSync('psql', [url, '-qc', `CREATE TABLE raw_eppgbm (${Array.from({ length: COLUMNS }, (_, i) => `c${i} text`).join(', ')})`]);
  let t = performance.now();
  execFileSync('psql', [url, '-qc', `\\copy raw_eppgbm FROM '${FILE}' WITH (FORMAT csv, HEADER true${EXCEL ? ", DELIMITER ';'" : ''})`]);
  const copyRate = ROWS / ((performance.now() - t) / 1000);

  t = performance.now();
  const run = spawnSync(process.execPath, [...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []), ...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), 'dist/src/import-cli.js', FILE, '--regency', '3216'], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      JWT_SECRET: randomBytes(32).toString('hex'),
      NIK_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      NIK_HMAC_KEY: randomBytes(32).toString('hex'),
      ADMIN_PASSWORD: 'bench-admin-password',
      LOG_LEVEL: 'warn',
    },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`import failed:\n${run.stderr}`);
  const summary = run.stderr.split(/\r|\n/).filter(Boolean);
  const m = /([\d.]+) s, (\d+) rows\/s, peak RSS (\d+) MiB/.exec(run.stderr);
  const importRate = Number(m?.[2]);
  // targets.md's B_copy: \copy of the same readings, as measurement rows, into a table shaped
  // like `measurements` with its indexes and foreign keys. For reference next to the baseline.
  const dump = `/tmp/tuntas-bench-measurements-${ROWS}.copy`;
  execFileSync('psql', [url, '-qc', `\\copy (SELECT * FROM measurements) TO '${dump}'`]);
  execFileSync('psql', [url, '-qc', `CREATE TABLE measurements_copy (LIKE measurements INCLUDING ALL);
    ALTER TABLE measurements_copy ADD FOREIGN KEY (subject_id) REFERENCES subjects (id), ADD FOREIGN KEY (case_id) REFERENCES cases (id),
      ADD FOREIGN KEY (created_by) REFERENCES users (id);`]);
  const readings = Number(execFileSync('psql', [url, '-Atc', 'SELECT count(*) FROM measurements']).toString());
  const warned = execFileSync('psql', [url, '-Atc', `SELECT (SELECT count(*) FROM growth_flags) || ' flags, ' || (SELECT count(*) FROM tasks WHERE case_id IS NULL) || ' referral tasks'`]).toString().trim();
  t = performance.now();
  execFileSync('psql', [url, '-qc', `\\copy measurements_copy FROM '${dump}'`]);
  const realCopyRate = readings / ((performance.now() - t) / 1000);
  rmSync(dump, { force: true });

  console.log(`${ROWS.toLocaleString('en')} generated rows (about 1% bad, ${EXCEL ? 'Excel-saved export: ;, decimal commas, village names' : 'comma CSV with village codes'}), PostgreSQL at ${new URL(PG).host}`);
  console.log(summary[summary.length - 3]);
  console.log(`early warning: ${warned}`);
  console.log(`\\copy into a plain table        ${copyRate.toFixed(0).padStart(8)} rows/s`);
  console.log(`Tuntas import (CLI)             ${String(importRate).padStart(8)} rows/s   peak RSS ${m?.[3]} MiB (target <= 512)`);
  console.log(`ratio import / \\copy = ${(importRate / copyRate).toFixed(3)} (target >= 0.25)`);
  console.log(
    `for reference, targets.md's B_copy: \\copy of the ${readings.toLocaleString('en')} readings into a measurements-shaped table with its indexes and foreign keys: ` +
      `${realCopyRate.toFixed(0)} rows/s; import / that = ${(importRate / realCopyRate).toFixed(2)}`,
  );
} finally {
  await adminQuery(PG, `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  rmSync(FILE, { force: true });
}
