// Shared helpers of the browser tests: the built service on a temporary embedded database, the
// API calls that set up what a test is not about, and Chromium through playwright-core.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ADMIN_PASSWORD = 'browser-admin-password';
export const REGENCY = '3216';
export const VILLAGE = '3216062005';
export const AKSI_MAX_FILE_BYTES = 1024 * 1024;

/** Starts dist/src/main.js on a fresh data directory and waits for /health. */
export async function startService(port) {
  const dataDir = mkdtempSync(join(tmpdir(), 'tuntas-browser-'));
  const env = {
    ...process.env,
    PORT: String(port),
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    JWT_SECRET: randomBytes(32).toString('hex'),
    NIK_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    NIK_HMAC_KEY: randomBytes(32).toString('hex'),
    ADMIN_PASSWORD,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '0',
    ESCALATION_SWEEP_INTERVAL_SECONDS: '0',
    NOTIFICATION_DELIVERY_INTERVAL_SECONDS: '0',
    RETENTION_SWEEP_INTERVAL_SECONDS: '0',
    // 8 Aksi evidence files with the run's data, and a small limit so the tour can hit it (413).
    AKSI_FILES_DIR: join(dataDir, 'aksi'),
    AKSI_MAX_FILE_BYTES: String(AKSI_MAX_FILE_BYTES),
  };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['dist/src/main.js'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}: ${stderr}`);
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 480) throw new Error('the service did not start');
    await new Promise((r) => setTimeout(r, 250));
  }
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { base, api: `${base}/api/v1`, stop };
}

export async function call(method, url, body, token, headers = {}) {
  const res = await fetch(url, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

export async function must(method, url, body, token, headers) {
  const res = await call(method, url, body, token, headers);
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export const login = async (api, username, password) => (await must('POST', `${api}/auth/login`, { username, password })).accessToken;

const day = (offsetDays) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

/**
 * The world of the walk-through, through the API: DINKES and the other OPDs of Bekasi, a case
 * manager, an auditor, a CSR sponsor with a partner, a viewer, a DPO, a TPK member (bidan) of the
 * village's TPK team, a stunted girl whose reading of 60 days ago opened a case, and three families
 * whose pregnant wives are due a visit this week. The DINKES liaison is created by the admin on screen.
 */
export async function seed(api) {
  const admin = await login(api, 'admin', ADMIN_PASSWORD);
  const opds = await must('POST', `${api}/opds/seed`, { regencyCode: REGENCY }, admin);
  const dinkes = (opds.items ?? opds).find((o) => o.code === 'DINKES');
  const sponsor = await must('POST', `${api}/sponsors`, { name: 'PT Sehat Sentosa', type: 'company', regencyCodes: [REGENCY] }, admin);
  const users = {
    cm: { username: 'sri', password: 'melati-sandi-2026', displayName: 'Sri Wahyuni', role: 'case_manager', regencyCode: REGENCY },
    auditor: { username: 'dewi', password: 'mawar-sandi-2026', displayName: 'Dewi Lestari', role: 'auditor', regencyCode: REGENCY },
    csr: { username: 'rina', password: 'anggrek-sandi-2026', displayName: 'Rina Marlina', role: 'csr_partner', regencyCode: REGENCY, sponsorId: sponsor.id },
    viewer: { username: 'tpps', password: 'cempaka-sandi-2026', displayName: 'Tim TPPS', role: 'viewer', regencyCode: REGENCY },
    dpo: { username: 'ratna', password: 'teratai-sandi-2026', displayName: 'Ratna Dewi', role: 'dpo', regencyCode: REGENCY },
    tpk: { username: 'yuni', password: 'kamboja-sandi-2026', displayName: 'Yuni Astuti', role: 'tpk', regencyCode: REGENCY },
    // Jawa Barat's province viewer: aggregates of its regencies only.
    province: { username: 'jabar', password: 'flamboyan-sandi-2026', displayName: 'Dinkes Provinsi Jawa Barat', role: 'viewer', provinceCode: REGENCY.slice(0, 2) },
  };
  const ids = {};
  for (const [who, u] of Object.entries(users)) ids[who] = (await must('POST', `${api}/users`, u, admin)).id;
  // The bidan of Setiadarma's TPK team (and its coordinator): her villages come from the team.
  await must('POST', `${api}/tpk-teams`, { villageCode: VILLAGE, name: 'TPK Setiadarma 01', members: [{ userId: ids.tpk, tpkRole: 'bidan' }], coordinatorUserId: ids.tpk }, admin);
  // Created on screen by the admin (run.mjs), with these words.
  users.liaison = { username: 'budi', password: 'kenanga-sandi-2026', displayName: 'Budi Santoso', role: 'opd_liaison' };
  users.admin = { username: 'admin', password: ADMIN_PASSWORD };
  const cm = await login(api, users.cm.username, users.cm.password);
  const subject = await must(
    'POST',
    `${api}/subjects`,
    { targetGroup: 'BALITA', name: 'Aisyah Putri', sex: 'F', birthDate: day(-730), nik: '3216064103240002', villageCode: VILLAGE, motherName: 'Siti Rahmawati', posyandu: 'Melati 3' },
    cm,
  );
  const reading = await must('POST', `${api}/subjects/${subject.id}/measurements`, { measuredAt: day(-60), weightKg: 9.4, heightCm: 77.5, method: 'recumbent' }, cm);
  const families = await seedFamilies(api, cm);
  const aksi = await seedAksi(api, admin, cm);
  return { admin, cm, users, dinkes, sponsor, subject, caseId: reading.caseId, families, aksi };
}

/**
 * The 8 Aksi year of Bekasi: this year's cycle with the upload deadline 20 days from today (WIB),
 * the situation analysis opened by the case manager (owned by BAPPEDA by default), and an indicator
 * of DINKES in per cent for the Master Ansit grid (the seeded ones are counts), added by the
 * national admin.
 */
async function seedAksi(api, admin, cm) {
  const today = new Date(Date.now() + 7 * 3_600_000);
  const wib = (days) => new Date(today.getTime() + days * 86_400_000).toISOString().slice(0, 10);
  const year = Number(wib(0).slice(0, 4));
  await must('PUT', `${api}/aksi/${year}/cycle?regionCode=${REGENCY}`, { uploadDeadline: wib(20), verificationDate: wib(25), assessmentDate: wib(30) }, admin);
  const document = await must('POST', `${api}/aksi/${year}/documents`, { action: 1, type: 'situation_analysis', title: `Laporan Analisis Situasi ${year}` }, cm);
  const indicator = await must(
    'POST',
    `${api}/ansit/indicators`,
    {
      code: 'ES_IMUNISASI_DASAR',
      name: 'Persentase anak 12-23 bulan dengan imunisasi dasar lengkap',
      kind: 'esensial',
      sheet: 'Kesehatan',
      unit: '%',
      numerator: 'anak 12-23 bulan dengan imunisasi dasar lengkap',
      denominator: 'anak 12-23 bulan',
      ownerOpdCode: 'DINKES',
    },
    admin,
  );
  return { year, uploadDeadline: wib(20), document, indicator };
}

/**
 * Three families of the village, each with a wife 12 weeks pregnant today: her first-trimester
 * visit is due within the week, so it is on the TPK member's day. The first family is assessed
 * at risk of stunting (KRS).
 */
async function seedFamilies(api, cm) {
  const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10); // the day in Bekasi (WIB)
  const families = {};
  const rows = [
    ['siti', 'Siti Aminah', '1998-05-10', '3216065005980003', 'Ahmad Fauzi', '3216061234560001'],
    ['nur', 'Nur Aini', '1996-08-21', '3216066108960004', 'Joko Susilo', '3216061234560002'],
    ['wulan', 'Wulan Sari', '2000-02-03', '3216064302000005', 'Bambang Wijaya', '3216061234560003'],
  ];
  for (const [key, name, birthDate, nik, headName, familyCardNumber] of rows) {
    const mother = await must('POST', `${api}/subjects`, { targetGroup: 'IBU_HAMIL', name, sex: 'F', birthDate, nik, villageCode: VILLAGE }, cm);
    families[key] = await must(
      'POST',
      `${api}/families`,
      {
        familyCardNumber,
        headName,
        wifeName: name,
        villageCode: VILLAGE,
        rt: '003',
        rw: '007',
        welfarePriority: 2,
        members: [
          { relation: 'KK', name: headName, sex: 'M', birthDate: '1994-02-01' },
          { relation: 'ISTRI', subjectId: mother.id, gestWeeks: 12, gestRecordedOn: today },
        ],
      },
      cm,
    );
    families[key].motherId = mother.id;
  }
  const factors = { airTidakLayak: false, jambanTidakLayak: true, terlaluMuda: false, terlaluTua: false, terlaluDekat: false, terlaluBanyak: false, nonKbModern: false };
  await must('POST', `${api}/families/${families.siti.id}/assessments`, { year: Number(today.slice(0, 4)), round: 1, referenceDate: today, factors, source: 'VERVAL' }, cm);
  return families;
}
