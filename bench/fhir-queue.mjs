// What queueing FHIR exports costs an e-PPGBM import: the same generated file imported into a
// fresh database with the regency's export off and on, alternating, in the same run. Queueing
// is one INSERT … SELECT per 5,000-row batch, so the two rates should be close.
//   npm run bench:fhir-queue   (BENCH_ROWS, default 30,000; BENCH_RUNS per mode, default 2)
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, rmSync } from 'node:fs';
import { generateEppgbm, HEADER } from '../dist/bench/gen-eppgbm.js';
import { adminQuery } from './pg-admin.mjs';

const PG = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432';
const ROWS = Number(process.env.BENCH_ROWS ?? 30_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 2);
const DB = 'tuntas_bench_fhir_queue';
const FILE = `/tmp/tuntas-bench-fhir-queue-${ROWS}.csv`;

const out = createWriteStream(FILE);
out.write(`${HEADER}\n`);
for await (const row of generateEppgbm({ rows: ROWS, seed: 13 })) {
  if (!out.write(`${row.line}\n`)) await new Promise((r) => out.once('drain', r));
}
await new Promise((r) => out.end(r));

const env = (url) => ({
  ...process.env,
  DATABASE_URL: url,
  JWT_SECRET: randomBytes(32).toString('hex'),
  NIK_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  NIK_HMAC_KEY: randomBytes(32).toString('hex'),
  ADMIN_PASSWORD: 'bench-admin-password',
  LOG_LEVEL: 'warn',
});

async function run(exportOn) {
  await adminQuery(PG, `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await adminQuery(PG, `CREATE DATABASE ${DB}`);
  const url = `${PG}/${DB}`;
  execFileSync(process.execPath, ['dist/src/migrate.js'], { env: env(url), stdio: 'ignore' });
  if (exportOn) {
    execFileSync('psql', [url, '-qc', `
      INSERT INTO users (id, username, password_hash, display_name, role, created_at, updated_at)
        VALUES ('00000000-0000-4000-8000-000000000001', 'admin', 'x', 'Bench', 'admin', now(), now());
      INSERT INTO fhir_export_settings (regency_code, enabled, base_url, token_url, client_id, client_secret_enc, organization_id, updated_by, updated_at)
        VALUES ('3216', true, 'https://203.0.113.10/fhir-r4/v1', 'https://203.0.113.10/oauth2/v1/accesstoken', 'c', '\\x01', '100026342',
                '00000000-0000-4000-8000-000000000001', now());`]);
  }
  const r = spawnSync(process.execPath, ['dist/src/import-cli.js', FILE, '--regency', '3216'], { env: env(url), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`import failed:\n${r.stderr}`);
  const rate = Number(/([\d.]+) s, (\d+) rows\/s/.exec(r.stderr)?.[2]);
  const queued = Number(execFileSync('psql', [url, '-Atc', 'SELECT count(*) FROM fhir_exports']).toString());
  const readings = Number(execFileSync('psql', [url, '-Atc', 'SELECT count(*) FROM measurements']).toString());
  return { rate, queued, readings };
}

try {
  const rates = { off: [], on: [] };
  for (let i = 0; i < RUNS; i++) {
    for (const mode of ['off', 'on']) {
      const { rate, queued, readings } = await run(mode === 'on');
      if (mode === 'on' && queued !== readings) throw new Error(`${queued} exports queued for ${readings} readings`);
      if (mode === 'off' && queued !== 0) throw new Error(`${queued} exports queued with the export off`);
      rates[mode].push(rate);
      console.log(`run ${i + 1}, export ${mode.padEnd(3)}: ${String(rate).padStart(7)} rows/s, ${readings} readings, ${queued} exports queued`);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`${ROWS.toLocaleString('en')} rows; median import rate: export off ${median(rates.off)} rows/s, on ${median(rates.on)} rows/s; on / off = ${(median(rates.on) / median(rates.off)).toFixed(2)}`);
} finally {
  await adminQuery(PG, `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  rmSync(FILE, { force: true });
}
