// Security finding 3: one upload must not exhaust memory. Three 100 MB hostile uploads at once
// (one line of 100 MB; 100 MB of separator-only rows; 100 MB of rows that are all refused) against
// the built service on a PostgreSQL server (so the process's memory is the service's own, not an
// embedded database's); prints the service's peak RSS while they run (target <= 512 MiB) and what
// each import ended as.
//   npm run build && node bench/hostile-uploads.mjs
import { spawn } from 'node:child_process';
import { Blob } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { adminQuery } from './pg-admin.mjs';

const PG = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432';
const DB = 'tuntas_bench_hostile';
await adminQuery(PG, `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
await adminQuery(PG, `CREATE DATABASE ${DB}`);

const PORT = 3905;
const MB = 1024 * 1024;
const SIZE = Number(process.env.HOSTILE_MB ?? 100) * MB;
const header = 'Nama Anak;JK;Tgl Lahir;Kode Desa;Tanggal Pengukuran;Berat;Tinggi;Cara Ukur\n';
const fill = (line) => header + line.repeat(Math.floor((SIZE - header.length) / line.length));
const files = {
  'one-line.csv': header + 'x'.repeat(SIZE - header.length),
  'separators.csv': fill(';;;;;;;\n'),
  'refused.csv': fill('Anak;X;31/02/2024;3216999999;01/13/2026;abc;;\n'),
};
for (const [name, body] of Object.entries(files)) writeFileSync(`/tmp/hostile-${name}`, body);

const child = spawn(process.execPath, ['dist/src/main.js'], {
  env: {
    ...process.env,
    DATABASE_URL: `${PG}/${DB}`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    NIK_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    NIK_HMAC_KEY: randomBytes(32).toString('hex'),
    PORT: String(PORT),
    ADMIN_PASSWORD: 'hostile-admin-password-1',
    LOG_LEVEL: 'warn',
    IMPORT_MAX_BYTES: String(SIZE + MB),
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const status = (key) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024;
const peak = () => status('VmHWM');
try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/health`)).ok) break;
    } catch {
      if (i > 240) throw new Error('the service did not start');
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const base = `http://127.0.0.1:${PORT}/api/v1`;
  const login = await (await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'hostile-admin-password-1' }) })).json();
  const auth = { Authorization: `Bearer ${login.accessToken ?? login.token}` };
  const before = status('VmRSS');
  // The high-water mark from here on: start-up (migrations, region tables) is not the uploads' doing.
  writeFileSync(`/proc/${child.pid}/clear_refs`, '5');
  const started = await Promise.all(
    Object.keys(files).map(async (name) => {
      const form = new globalThis.FormData();
      form.set('regencyCode', '3216');
      form.set('file', new Blob([readFileSync(`/tmp/hostile-${name}`)]), name);
      const res = await fetch(`${base}/imports/eppgbm`, { method: 'POST', headers: auth, body: form });
      return { name, status: res.status, body: await res.json() };
    }),
  );
  const results = [];
  for (const s of started) {
    if (s.status !== 202) {
      results.push(`${s.name}: upload ${s.status} ${s.body.message}`);
      continue;
    }
    for (;;) {
      const j = await (await fetch(`${base}/imports/${s.body.id}`, { headers: auth })).json();
      if (j.status === 'done' || j.status === 'failed') {
        results.push(`${s.name}: ${j.status}, ${j.rowsRead} rows read, ${j.rowsRejected} refused, ${j.rejections.length} reasons kept + ${j.rejectionsOmitted} counted; ${j.error ?? ''}`);
        break;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  for (const r of results) console.log(r);
  console.log(`service RSS before ${before.toFixed(0)} MiB, peak ${peak().toFixed(0)} MiB with three ${SIZE / MB} MB hostile uploads at once (target <= 512 MiB)`);
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await adminQuery(PG, `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  for (const name of Object.keys(files)) rmSync(`/tmp/hostile-${name}`, { force: true });
}
