// Security finding 3: one upload must not exhaust memory. Three 100 MB hostile uploads at once
// (one line of 100 MB; 100 MB of separator-only rows; 100 MB of rows that are all refused) against
// the built service on embedded PGlite in memory; prints the service's peak RSS (target <= 512 MiB)
// and what each import ended as.
//   npm run build && node bench/hostile-uploads.mjs
import { spawn } from 'node:child_process';
import { Blob } from 'node:buffer';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';

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
  env: { ...process.env, DATA_DIR: 'memory://', PORT: String(PORT), ADMIN_PASSWORD: 'hostile-admin-password-1', LOG_LEVEL: 'warn', IMPORT_MAX_BYTES: String(SIZE + MB) },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const peak = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024;
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
  const before = peak();
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
  for (const name of Object.keys(files)) rmSync(`/tmp/hostile-${name}`, { force: true });
}
