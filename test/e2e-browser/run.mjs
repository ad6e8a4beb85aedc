// Browser tests of the web console: the real service (built, on a fresh embedded database) driven
// in headless Chromium (Debian's /usr/bin/chromium) through playwright-core. Every role at 1280 and
// 360 px; on every screen an axe-core scan (no serious or critical violation) and a check that no
// untranslated key or raw code reached the page, in both languages. Screenshots of every step go to
// test/e2e-browser/screenshots/. Run with: npm run test:browser
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { AKSI_MAX_FILE_BYTES, call, login, must, seed, startService, VILLAGE } from './lib.mjs';

const SHOTS = join(import.meta.dirname, 'screenshots');
const ROOT = join(import.meta.dirname, '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
rmSync(SHOTS, { recursive: true, force: true });
mkdirSync(SHOTS, { recursive: true });

const WIDE = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 780 };

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

let shot = 0;
async function snap(page, name) {
  shot += 1;
  await page.screenshot({ path: join(SHOTS, `${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true });
}

/** Codes and keys that must never reach a reader: untranslated keys, enum values, village and programme codes. */
const RAW = [
  /\b(state|tstate|istate|band|ev|reason|role|imp|step|due|stype|hazcat|act|agg|recipient|channel|expert|nav|err|tgroup|vkind|vact|vlabel|krs|rel)_[A-Za-z_.]+/,
  /\b(up_0_5_or_more|up_less_than_0_5|no_change|awaiting_remeasurement|in_progress|case_manager|opd_liaison|csr_partner|kader_pkk|kader_kb)\b/,
  /\b(IBU_HAMIL|BUMIL|NIFAS|BADUTA|CATIN|RUMAH|TELEPON|VERVAL|MONTHLY|PENDAMPINGAN|PRA_NIKAH|ISTRI|ANAK|LAIN|BARU|LAMA|KELUAR|TETAP_NON)\b/,
  /\b(BAAS_PAKET|PMT_LOKAL_GIZI_KURANG)\b/,
  // 8 Aksi and Master Ansit: the enums' prefixes and values, and the indicator codes.
  /\b(astate|doctype|prov|comp)_[A-Za-z_.]+/, /\baksi_\d\b/,
  /\b(situation_analysis|activity_plan|rembuk_minutes|kpm_decree|review_report|revision_requested|to_complete|MARK_READY|REQUEST_REVISION|ADD_VERSION)\b/,
  /\b(DS_[A-Z_]+|ES_IMUNISASI_DASAR)\b/,
  new RegExp(`\\b${VILLAGE}\\b`),
];

/** The page now: no untranslated key asked for, no raw code on screen. */
async function wordsOnly(page, where) {
  const missing = await page.evaluate(() => [...(globalThis.__tuntasMissingKeys ?? [])]);
  assert.deepEqual(missing, [], `${where}: untranslated keys reached the page`);
  const text = await page.evaluate(() => document.body.innerText);
  for (const re of RAW) assert.ok(!re.test(text), `${where}: "${text.match(re)?.[0]}" is shown as a code`);
}

/** axe-core in the page (evaluated through the debugging protocol, so the page's CSP stays as it is). */
async function accessible(page, where) {
  if (!(await page.evaluate(() => typeof globalThis.axe !== 'undefined'))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => (await globalThis.axe.run(document, { resultTypes: ['violations'] })).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')})`));
  assert.deepEqual(violations, [], `${where}: accessibility violations`);
}

const checked = [];
/** Screenshot, axe, words, then the same in the other language, and back. */
async function check(page, name) {
  await snap(page, name);
  await accessible(page, name);
  await wordsOnly(page, name);
  const toEn = await page.evaluate(() => document.documentElement.lang === 'id');
  await page.getByRole('button', { name: toEn ? 'English' : 'Bahasa Indonesia' }).click();
  await page.waitForFunction((l) => document.documentElement.lang === l, toEn ? 'en' : 'id');
  await wordsOnly(page, `${name} (${toEn ? 'en' : 'id'})`);
  await page.getByRole('button', { name: toEn ? 'Bahasa Indonesia' : 'English' }).click();
  await page.waitForFunction((l) => document.documentElement.lang === l, toEn ? 'id' : 'en');
  checked.push(name);
}

async function logIn(browser, base, user, viewport = WIDE) {
  const context = await browser.newContext({ viewport, locale: 'id-ID', timezoneId: 'Asia/Jakarta', acceptDownloads: true });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(base);
  await page.getByLabel('Nama pengguna').fill(user.username);
  await page.getByLabel('Kata sandi').fill(user.password);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.getByRole('button', { name: 'Keluar' }).waitFor();
  return { context, page, problems };
}

const steps = [];
const step = async (name, fn) => {
  const t = Date.now();
  await fn();
  steps.push(name);
  console.log(`  ok  ${name} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
};

/**
 * Before the browser: both languages hold the same keys, and every key the console's code names
 * literally is in them (keys made of a prefix and an enum value are checked on screen, by check()).
 */
async function translationsComplete() {
  const src = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? src(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : []));
  // i18n.js is a module of its own with no imports; it needs only these two of the browser.
  globalThis.localStorage = { getItem: () => null, setItem: () => undefined };
  globalThis.document = { documentElement: {} };
  const { dict } = await import(pathToFileURL(join(ROOT, 'public/js/i18n.js')).href);
  delete globalThis.localStorage;
  delete globalThis.document;
  const id = new Set(Object.keys(dict.id)), en = new Set(Object.keys(dict.en));
  assert.deepEqual([...id].filter((k) => !en.has(k)), [], 'keys with no English');
  assert.deepEqual([...en].filter((k) => !id.has(k)), [], 'keys with no Indonesian');
  const used = new Set(src(join(ROOT, 'public/js')).flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/\bt\('([\w.]+)'\)/g)].map((m) => m[1])));
  assert.deepEqual([...used].filter((k) => !id.has(k)), [], 'keys used but not translated');
  console.log(`  ok  translations: ${id.size} keys in both languages, ${used.size} named in the code`);
}
await translationsComplete();

const svc = await startService(await freePort());
let browser;
let failed = false;
const sessions = [];
try {
  const w = await seed(svc.api);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    // playwright-core gives each launch a fresh, empty profile of its own (it refuses --user-data-dir here).
  });

  // 0. The admin creates the DINKES liaison, choosing the OPD by its name; sets up OPDs, sponsors, the SLA policy.
  const admin = await logIn(browser, svc.base, w.users.admin);
  sessions.push(admin);
  await step('admin: a liaison created by OPD name; OPDs, sponsors; the SLA policy refuses a bad value inline', async () => {
    const { page } = admin;
    await page.getByRole('heading', { name: 'Ringkasan keterlambatan' }).waitFor();
    await page.getByRole('link', { name: 'Pengguna' }).click();
    await page.getByLabel('Provinsi').selectOption('32');
    await page.getByLabel('Kabupaten/kota').selectOption('3216');
    const form = page.locator('#form-user-new-3216');
    await form.waitFor();
    await check(page, 'admin-users');
    const u = w.users.liaison;
    await form.getByLabel('Nama lengkap').fill(u.displayName);
    await form.getByLabel('Nama pengguna').fill(u.username);
    await form.getByLabel('Kata sandi').fill(u.password);
    assert.ok((await form.getByLabel('Peran').locator('option').allInnerTexts()).includes('Anggota TPK'), 'an admin can make a TPK member');
    await form.getByLabel('Peran').selectOption({ label: 'Penghubung OPD' });
    await form.getByLabel('OPD').selectOption({ label: 'Dinas Kesehatan' });
    await snap(page, 'admin-new-liaison');
    await form.getByRole('button', { name: 'Buat' }).click();
    await form.getByText('Pengguna dibuat.').waitFor();
    const card = page.locator('#users li[data-user="budi"]');
    await card.getByText('Dinas Kesehatan').waitFor();
    const created = (await must('GET', `${svc.api}/users?role=opd_liaison`, undefined, w.admin)).items.find((x) => x.username === 'budi');
    assert.equal(created.opdId, w.dinkes.id, 'the liaison is bound to DINKES');
    // A password reset, in memory only (never in a draft), and a user disabled and enabled again.
    await card.getByRole('button', { name: 'Atur ulang kata sandi' }).click();
    u.password = 'kenari-baru-2026-kunci';
    await card.getByLabel('Kata sandi baru').fill(u.password);
    assert.ok(!(await page.evaluate(() => Object.values(sessionStorage).join(' '))).includes(u.password), 'no password in a draft');
    await card.getByRole('button', { name: 'Simpan' }).click();
    await card.getByLabel('Kata sandi baru').waitFor({ state: 'detached' });
    await login(svc.api, u.username, u.password);
    const viewerCard = page.locator('#users li[data-user="tpps"]');
    await viewerCard.getByRole('button', { name: 'Nonaktifkan' }).click();
    await viewerCard.getByText('Nonaktif', { exact: true }).waitFor();
    assert.equal((await call('POST', `${svc.api}/auth/login`, { username: 'tpps', password: w.users.viewer.password })).status, 401, 'a disabled user cannot log in');
    await viewerCard.getByRole('button', { name: 'Aktifkan' }).click();
    await viewerCard.getByRole('button', { name: 'Nonaktifkan' }).waitFor();
    await snap(page, 'admin-users-after');
    await page.getByRole('link', { name: 'OPD', exact: true }).click();
    await page.locator('#opds').getByText('Dinas Kesehatan').first().waitFor();
    await check(page, 'admin-opds');
    await page.getByRole('link', { name: 'Sponsor', exact: true }).click();
    await page.locator('#sponsors').getByText('PT Sehat Sentosa').waitFor();
    await check(page, 'admin-sponsors');
    await page.getByRole('link', { name: 'Kebijakan SLA' }).click();
    const sla = page.locator('#form-sla-3216');
    await sla.waitFor();
    await sla.getByLabel('Teridentifikasi').fill('0');
    await sla.getByRole('button', { name: 'Simpan' }).click();
    await sla.locator('.field.invalid').filter({ has: page.getByLabel('Teridentifikasi') }).locator('.field-error').waitFor();
    await check(page, 'admin-sla-refused');
    await sla.getByLabel('Teridentifikasi').fill('30');
    await sla.getByRole('button', { name: 'Tambah hari libur' }).click();
    await sla.getByLabel(/^Hari libur 1/).fill('2026-12-24');
    await sla.getByRole('button', { name: 'Simpan' }).click();
    await page.getByText('Terakhir diubah').waitFor();
    const policy = await must('GET', `${svc.api}/sla-policies/3216`, undefined, w.admin);
    assert.deepEqual(policy.holidays, ['2026-12-24']);
    assert.equal(policy.days.identified, 30);
  });

  // 1. The case manager opens the case, records an audit recommending DINKES, sees the task.
  const cm = await logIn(browser, svc.base, w.users.cm);
  sessions.push(cm);
  await step('case manager: the work queue, the case, an audit with a DINKES recommendation, the task', async () => {
    const { page } = cm;
    await page.getByRole('link', { name: 'Aisyah Putri' }).waitFor();
    await page.getByText('Setiadarma, Tambun Selatan').waitFor();
    await check(page, 'cm-queue');
    await page.getByRole('link', { name: 'Aisyah Putri' }).click();
    await page.getByRole('heading', { name: /Aisyah Putri/ }).waitFor();
    await page.locator('svg circle.pt').first().waitFor();
    // The close form has no reason chosen for her; the measurement form knows she is 24 months or older.
    assert.equal(await page.locator(`#form-case-${w.caseId}-CLOSE select[name="reason"]`).inputValue(), '');
    assert.equal(await page.locator(`#form-measure-${w.subject.id} select[name="method"]`).inputValue(), 'standing');
    await check(page, 'cm-case');
    const audit = page.locator(`#form-case-${w.caseId}-RECORD_AUDIT`);
    // First a send with no cause: the refusal is shown in words, per field, and nothing typed is lost.
    await audit.locator('#rec-action-0').fill('Pemberian PMT lokal 90 hari');
    await audit.locator('#rec-opd-0').selectOption('DINKES');
    await audit.getByRole('button', { name: 'Catat audit' }).click();
    await audit.getByRole('alert').getByText('Ada isian yang perlu diperbaiki.').waitFor();
    await audit.getByRole('alert').getByText('Penyebab', { exact: false }).first().waitFor();
    await check(page, 'cm-audit-refused');
    assert.equal(await audit.locator('#rec-action-0').inputValue(), 'Pemberian PMT lokal 90 hari');
    await audit.getByLabel('Asupan gizi tidak memadai').check();
    await audit.getByRole('button', { name: 'Catat audit' }).click();
    await page.locator('#case-tasks').getByText('Pemberian PMT lokal 90 hari').waitFor();
    await page.getByRole('heading', { name: /Aisyah Putri/ }).getByText('Diaudit').waitFor();
    await page.locator('#case-tasks').getByText('Batas menerima tugas').waitFor();
    await snap(page, 'cm-task-appears');
  });

  await step('case manager: an e-PPGBM file whose every row is refused says so, with the reasons on screen', async () => {
    const { page } = cm;
    // As Excel saves it in Indonesia: a BOM, ";" between cells, decimal commas, dates without times.
    const file = join(mkdtempSync(join(tmpdir(), 'tuntas-eppgbm-')), 'eppgbm-november.csv');
    writeFileSync(file, '\uFEFF' + [
      'NIK Anak;Nama Anak;Tanggal Lahir;JK;Nama Ortu;Alamat;Desa;Posyandu;Tanggal Ukur;Berat;Tinggi;Cara Ukur',
      '3216064103240009;Rizky Pratama;12/03/2024;L;Sri Handayani;Kp. Setia RT 01/RW 02;32160620;Melati 3;05/11/2026;9,8;79,5;berdiri',
      '32160641032400;Putri Ayu;31/02/2024;P;Nur Aini;Kp. Setia RT 03/RW 02;3216062005;Melati 3;05/11/2026;8,9;76,1;terlentang',
      '3216064103240011;Bagas Saputra;01/05/2024;X;Wati;Kp. Setia RT 04/RW 01;3216062005;Mawar 1;05/11/2026;;;',
    ].join('\r\n') + '\r\n');
    await page.getByRole('link', { name: 'Impor e-PPGBM' }).click();
    await page.locator('#import-file').setInputFiles(file);
    await page.getByRole('button', { name: 'Unggah' }).click();
    const card = page.locator('#imports article.import').first();
    await card.getByText('Selesai diproses').waitFor({ timeout: 30_000 });
    await card.getByText('eppgbm-november.csv').waitFor();
    await card.getByText('Tidak ada baris yang diterima').waitFor();
    await card.locator('table.rejections').getByText('must be L or P').waitFor();
    assert.ok(!(await page.getByText('Tersimpan.').isVisible()), 'never "Tersimpan." when rows were refused');
    assert.ok((await card.locator('table.rejections tbody tr').count()) >= 3);
    await check(page, 'cm-import-all-refused');
    await page.goto(`${svc.base}/#/cases/${w.caseId}`);
    await page.getByRole('heading', { name: /Aisyah Putri/ }).waitFor();
  });

  // 2. The DINKES liaison (created by the admin) acknowledges the task in one click, starts it and completes it.
  const liaison = await logIn(browser, svc.base, w.users.liaison, PHONE);
  sessions.push(liaison);
  await step('DINKES liaison on a phone: acknowledge, start and complete the task', async () => {
    const { page } = liaison;
    const card = page.locator('#inbox li').filter({ hasText: 'Pemberian PMT lokal 90 hari' });
    await card.waitFor();
    await card.getByText('Batas menerima tugas').waitFor();
    await check(page, 'liaison-inbox');
    await card.getByRole('button', { name: 'Terima' }).click();
    await card.getByText('Diterima').waitFor();
    await card.getByRole('button', { name: 'Mulai kerjakan' }).click();
    await card.getByText('Dikerjakan').waitFor();
    await card.getByRole('button', { name: 'Selesaikan' }).click();
    await card.getByLabel('Catatan', { exact: true }).fill('PMT lokal diberikan lewat posyandu Melati 3');
    await card.getByLabel('Uraian bukti').fill('Foto penyerahan PMT, 2 paket');
    await snap(page, 'liaison-complete-form');
    await card.getByRole('button', { name: 'Selesaikan' }).last().click();
    await card.getByText('Selesai dikerjakan').waitFor();
    await card.getByText('Batas verifikasi').waitFor();
    await snap(page, 'liaison-done');
    const tasks = await must('GET', `${svc.api}/tasks?caseId=${w.caseId}`, undefined, w.cm);
    assert.equal(tasks.items[0].state, 'done');
  });

  // Master Ansit: the DINKES liaison, on the same phone, enters a DINKES indicator of Setiadarma
  // with a decimal comma; DP2KB's indicators are shown read-only.
  await step("DINKES liaison on a phone: a Master Ansit value with a decimal comma; another OPD's indicator read-only; the sheet as XLSX", async () => {
    const { page } = liaison;
    await page.getByRole('link', { name: 'Master Ansit' }).click();
    await page.getByRole('heading', { name: 'Master Ansit per desa' }).waitFor();
    await page.locator('#pick-district').selectOption({ label: 'Tambun Selatan' });
    await page.locator('#pick-village').selectOption({ label: 'Setiadarma' });
    const row = (code) => page.locator(`#ansit-form li[data-indicator="${code}"]`);
    const mine = row('ES_IMUNISASI_DASAR');
    const field = mine.getByLabel(w.aksi.indicator.name);
    await field.waitFor();
    assert.equal(await field.getAttribute('inputmode'), 'decimal');
    await mine.getByText('Belum diisi').waitFor();
    // DP2KB's families at risk of stunting: its value shown, no input, said to be read-only.
    const other = row('DS_KRS');
    await other.getByText('Hanya baca').waitFor();
    assert.equal(await other.locator('input').count(), 0, "another OPD's indicator has no input");
    await other.getByText('Dinas Pengendalian Penduduk dan Keluarga Berencana', { exact: false }).waitFor(); // its OPD by name
    // A value that is not a number stays in its row with the reason; nothing is sent.
    await field.fill('delapan puluh');
    await page.locator('#ansit-form').getByRole('button', { name: 'Simpan' }).click();
    await mine.locator('.field-error').waitFor();
    await field.fill('87,5');
    await check(page, 'liaison-ansit-phone');
    await page.locator('#ansit-form').getByRole('button', { name: 'Simpan' }).click();
    await page.locator('#ansit-form').getByText('Tersimpan.').waitFor();
    await mine.getByText('Diisi manual').waitFor();
    await mine.getByText('Budi Santoso').waitFor();
    const village = await must('GET', `${svc.api}/ansit/${w.aksi.year}/${VILLAGE}`, undefined, w.cm);
    assert.equal(village.values.find((v) => v.indicatorCode === 'ES_IMUNISASI_DASAR').value, 87.5, 'a decimal comma is read as a decimal');
    assert.equal(village.values.find((v) => v.indicatorCode === 'ES_IMUNISASI_DASAR').provenance, 'manual');
    await page.locator('#ansit-form').getByRole('button', { name: 'Simpan' }).click();
    await page.locator('#ansit-form').getByText('Tidak ada nilai yang diubah.').waitFor();
    const width = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    assert.ok(width.scroll <= width.client, `the grid fits the phone (${width.scroll} of ${width.client} px)`);
    await check(page, 'liaison-ansit-saved');
    const sheet = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Unduh Master Ansit (XLSX)' }).click();
    const file = await sheet;
    assert.equal(file.suggestedFilename(), `master-ansit-${w.aksi.year}.xlsx`);
    assert.equal(readFileSync(await file.path()).subarray(0, 2).toString(), 'PK', 'an XLSX (zip) file');
  });

  // 8 Aksi: the case manager prepares the situation analysis (opened in the set-up): a version, then ready.
  const evidence = Buffer.from('%PDF-1.4\n% Laporan analisis situasi stunting Kabupaten Bekasi\n%%EOF\n');
  await step('case manager: an 8 Aksi document gets a version and is marked ready; a file over the limit and a stale upload after the submission are refused in words', async () => {
    const s = await logIn(browser, svc.base, w.users.cm, WIDE);
    sessions.push(s);
    const { page } = s;
    const doc = w.aksi.document;
    const dir = mkdtempSync(join(tmpdir(), 'tuntas-aksi-'));
    const pdf = join(dir, 'analisis-situasi.pdf');
    writeFileSync(pdf, evidence);
    await page.goto(`${svc.base}/#/aksi/documents/${doc.id}`);
    const heading = page.getByRole('heading', { name: doc.title });
    await heading.getByText('Draf').waitFor();
    await page.getByText('Badan Perencanaan Pembangunan Daerah').waitFor();
    await page.getByText('Belum ada berkas.').waitFor();
    await check(page, 'cm-aksi-document-draft');
    const upload = page.locator(`#form-aksi-upload-${doc.id}`);
    await upload.getByLabel('Berkas bukti').setInputFiles(pdf);
    await upload.getByRole('button', { name: 'Unggah' }).click();
    await upload.getByText('Versi baru tersimpan.').waitFor();
    const v1 = page.locator('#aksi-versions tr[data-version="1"]');
    await v1.getByText('analisis-situasi.pdf').waitFor();
    await v1.getByText(createHash('sha256').update(evidence).digest('hex').slice(0, 12)).waitFor();
    await v1.getByText('Sri Wahyuni').waitFor();
    await page.locator('#aksi-history').getByText('Versi berkas ditambahkan').waitFor();
    await page.getByLabel('Catatan (tidak wajib)').fill('Sudah diparaf Kepala Bappeda');
    await page.getByRole('button', { name: 'Tandai siap' }).click();
    await heading.getByText('Siap diunggah').waitFor();
    await page.locator('#aksi-history').getByText('Sudah diparaf Kepala Bappeda').waitFor();
    let now = await must('GET', `${svc.api}/aksi/documents/${doc.id}`, undefined, w.cm);
    assert.equal(now.state, 'ready');
    assert.equal(now.markedVersion, 1);
    await check(page, 'cm-aksi-document-ready');
    // A file over AKSI_MAX_FILE_BYTES: 413, said in words; nothing changes.
    const big = join(dir, 'lampiran-foto.zip');
    writeFileSync(big, Buffer.alloc(AKSI_MAX_FILE_BYTES + 64 * 1024, 7));
    await upload.getByLabel('Berkas bukti').setInputFiles(big);
    await upload.getByRole('button', { name: 'Unggah' }).click();
    await upload.getByRole('alert').getByText('Berkas terlalu besar untuk satu versi bukti', { exact: false }).waitFor();
    // The secretariat records the submission elsewhere; this page still shows ready, and its upload is refused (409).
    await must('POST', `${svc.api}/aksi/documents/${doc.id}/events`, { type: 'UPLOAD' }, w.cm, { 'If-Match': String(now.version) });
    await upload.getByLabel('Berkas bukti').setInputFiles(pdf);
    await upload.getByRole('button', { name: 'Unggah' }).click();
    await upload.getByRole('alert').getByText('Berkas ini sudah diberikan ke provinsi', { exact: false }).waitFor();
    await check(page, 'cm-aksi-upload-refused');
    await page.reload();
    await heading.getByText('Diunggah ke provinsi').waitFor();
    await page.locator('#aksi-upload-locked').waitFor();
    now = await must('GET', `${svc.api}/aksi/documents/${doc.id}`, undefined, w.cm);
    assert.equal(now.state, 'uploaded');
    assert.equal(now.versions.length, 1, 'no refused file became a version');
    await s.context.close();
  });

  // Set-up through the API: the case is offered to the sponsor, its partner proposes, the case manager approves.
  await must('POST', `${svc.api}/cases/${w.caseId}/offers`, { sponsorId: w.sponsor.id }, w.cm);
  const csrToken = await login(svc.api, w.users.csr.username, w.users.csr.password);
  const today = new Date().toISOString().slice(0, 10);
  const proposed = await must('POST', `${svc.api}/interventions`, { caseId: w.caseId, sponsorId: w.sponsor.id, catalogueCode: 'BAAS_PAKET', plannedStart: today, budgetIdr: 2_700_000 }, csrToken);
  await must('POST', `${svc.api}/interventions/${proposed.id}/events`, { type: 'APPROVE' }, w.cm, { 'If-Match': String(proposed.version) });
  const programme = proposed.catalogueName;
  assert.ok(programme && programme !== 'BAAS_PAKET', 'the intervention carries its programme name');
  await new Promise((r) => setTimeout(r, 1100)); // a delivery is stamped to the second, after the approval
  const stored = async () => (await must('GET', `${svc.api}/interventions/${proposed.id}/deliveries`, undefined, csrToken)).items.length;

  // 3. The CSR partner logs a delivery; the connection drops after the server stored it; the resend
  //    carries the same Idempotency-Key and one delivery is stored.
  const csr = await logIn(browser, svc.base, w.users.csr, PHONE);
  sessions.push(csr);
  const form = csr.page.locator(`#form-delivery-${proposed.id}`);
  await step('CSR partner on a phone: a delivery sent twice over a dropped connection is stored once', async () => {
    const { page } = csr;
    await page.getByRole('link', { name: programme }).waitFor();
    await check(page, 'csr-interventions');
    await page.getByRole('link', { name: programme }).click();
    await form.waitFor();
    await check(page, 'csr-intervention');
    await form.getByLabel('Nilai (Rp)').fill('450000');
    await form.getByLabel('Catatan', { exact: true }).fill('Paket bulan pertama');
    await snap(page, 'csr-delivery-form');
    const keys = [];
    await page.route('**/api/v1/interventions/*/deliveries', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      keys.push(route.request().headers()['idempotency-key']);
      if (keys.length === 1) {
        await route.fetch(); // the server stores it...
        return route.abort('connectionreset'); // ...and the answer never arrives
      }
      return route.continue();
    });
    await form.getByRole('button', { name: 'Kirim' }).click();
    await form.getByText('menunggu sinyal', { exact: false }).waitFor();
    await page.locator('.pending-list').waitFor();
    await snap(page, 'csr-delivery-dropped');
    // The queue sends it again by itself, under the same key.
    await page.locator('#delivery-count').getByText('1').waitFor({ timeout: 15_000 });
    await snap(page, 'csr-delivery-stored-once');
    await page.unroute('**/api/v1/interventions/*/deliveries');
    assert.equal(keys.length, 2);
    assert.ok(keys[0] && keys[0] === keys[1], 'the resend reuses the Idempotency-Key');
    assert.equal(await stored(), 1);
  });

  await step('CSR partner on a phone: two deliveries with no signal wait, survive a reload, and are stored exactly once each', async () => {
    const { page, context } = csr;
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    const before = await stored();
    await context.setOffline(true);
    for (const [amount, note] of [['150000', 'Paket minggu kedua'], ['175000', 'Paket minggu ketiga']]) {
      await form.getByLabel('Nilai (Rp)').fill(amount);
      await form.getByLabel('Catatan', { exact: true }).fill(note);
      await form.getByRole('button', { name: 'Kirim' }).click();
      await form.getByText('Tersimpan di perangkat', { exact: false }).waitFor();
    }
    await page.locator('.pending-list li').nth(1).waitFor();
    await page.locator('#pending-count').getByText('2 menunggu sinyal').waitFor();
    await check(page, 'csr-two-waiting-offline');
    // The console opens with no signal: the shell comes from the service worker, the user from this tab.
    await page.reload();
    await page.getByRole('button', { name: 'Keluar' }).waitFor();
    assert.equal(await page.evaluate(() => fetch('/health').then(() => 'answered', () => 'no network')), 'no network', 'the page really has no network');
    await page.locator('.pending-list li').nth(1).waitFor();
    assert.equal(await page.locator('.pending-list li').count(), 2);
    await snap(page, 'csr-offline-reload');
    assert.equal(await stored(), before, 'nothing is sent while there is no signal');
    await context.setOffline(false);
    await page.locator('#delivery-count').getByText(String(before + 2)).waitFor({ timeout: 40_000 });
    await page.locator('#pending-count').waitFor({ state: 'detached' });
    await snap(page, 'csr-back-online');
    assert.equal(await stored(), before + 2, 'exactly two deliveries are stored');
    const items = (await must('GET', `${svc.api}/interventions/${proposed.id}/deliveries`, undefined, csrToken)).items;
    const notes = items.map((d) => d.note);
    assert.deepEqual(notes.filter((n) => n === 'Paket minggu kedua' || n === 'Paket minggu ketiga').sort(), ['Paket minggu kedua', 'Paket minggu ketiga']);
    const second = items.find((d) => d.note === 'Paket minggu kedua'), third = items.find((d) => d.note === 'Paket minggu ketiga');
    assert.ok(second.recordedAt <= third.recordedAt, 'sent in the order they were made');
  });

  await step('CSR partner: a delivery the server refuses after the signal returns comes back to its form with the reason', async () => {
    const { page, context } = csr;
    const before = await stored();
    await context.setOffline(true);
    await form.getByLabel('Jumlah').fill('0');
    await form.getByLabel('Catatan', { exact: true }).fill('Jumlah salah ketik');
    await form.getByRole('button', { name: 'Kirim' }).click();
    await form.getByText('Tersimpan di perangkat', { exact: false }).waitFor();
    await context.setOffline(false);
    await form.getByRole('alert').getByText('Ada isian yang perlu diperbaiki.').waitFor({ timeout: 40_000 });
    await form.locator('.field.invalid').filter({ has: page.getByLabel('Jumlah') }).locator('.field-error').waitFor();
    assert.equal(await form.getByLabel('Catatan', { exact: true }).inputValue(), 'Jumlah salah ketik');
    await check(page, 'csr-refused-back-in-form');
    assert.equal(await stored(), before);
    await form.getByLabel('Jumlah').fill('1');
    await form.getByRole('button', { name: 'Kirim' }).click();
    await page.locator('#delivery-count').getByText(String(before + 1)).waitFor();
    await page.getByRole('link', { name: 'Laporan sponsor' }).click();
    await page.locator('figure.chart svg').waitFor();
    await page.getByText('Menunggu pengukuran ulang').waitFor();
    await check(page, 'csr-sponsor-report');
  });

  // 4. The case manager sees the case intervened, records a new measurement, the re-measurement, and resolves it.
  await step('case manager: intervened, re-measured, resolved', async () => {
    const { page } = cm;
    await page.reload();
    const heading = page.getByRole('heading', { name: /Aisyah Putri/ });
    await heading.getByText('Diintervensi').waitFor();
    await check(page, 'cm-intervened');
    const measure = page.locator(`#form-measure-${w.subject.id}`);
    await measure.getByLabel('Tinggi/panjang (cm)').fill('82');
    // The draft holds what was typed, not the defaults (today, the method for her age).
    const draft = JSON.parse(await page.evaluate((id) => sessionStorage.getItem(`tuntas.draft.measure-${id}`), w.subject.id));
    assert.deepEqual(Object.keys(draft), ['heightCm']);
    await measure.getByLabel('Berat (kg)').fill('10,2');
    await measure.getByRole('button', { name: 'Simpan' }).click();
    await measure.getByText('Pengukuran tersimpan.').waitFor();
    await page.locator('svg circle.pt').nth(1).waitFor();
    // A reading taken after the intervention started re-measures the case by itself; a reading
    // dated earlier the same day (the delivery was logged just now) leaves it to the form, whose
    // time is "now" when it is sent, never a time kept from when the page was first shown.
    const remeasure = page.locator(`#form-case-${w.caseId}-RECORD_REMEASUREMENT`);
    if ((await must('GET', `${svc.api}/cases/${w.caseId}`, undefined, w.cm)).state === 'intervened') {
      await remeasure.getByLabel('Tinggi/panjang (cm)').fill('82');
      await remeasure.getByRole('button', { name: 'Catat pengukuran ulang' }).click();
    }
    await heading.getByText('Diukur ulang').waitFor();
    // The chart tells the latest reading in words, and a tap on a point tells its reading.
    await page.locator('figure.growth .latest').getByText(/Pendek|Normal|Sangat pendek/).waitFor();
    await page.locator('svg .pt-hit').first().click();
    await page.locator('figure.growth .reading').getByText('cm').waitFor();
    await snap(page, 'cm-remeasured');
    const task = page.locator('#case-tasks li').filter({ hasText: 'Pemberian PMT lokal 90 hari' });
    await task.getByRole('button', { name: 'Verifikasi' }).click();
    await task.getByText('Diverifikasi').waitFor();
    const resolve = page.locator(`#form-case-${w.caseId}-RESOLVE`);
    await resolve.getByLabel('Catatan', { exact: true }).fill('TB/U membaik setelah PMT dan paket BAAS');
    await resolve.getByRole('button', { name: 'Nyatakan selesai' }).click();
    await heading.getByText('Selesai', { exact: true }).waitFor();
    await check(page, 'cm-resolved');
    const c = await must('GET', `${svc.api}/cases/${w.caseId}`, undefined, w.cm);
    assert.equal(c.state, 'resolved');
  });

  // The viewer's overview, and the English switch.
  const viewer = await logIn(browser, svc.base, w.users.viewer);
  sessions.push(viewer);
  await step('viewer: overdue overview, in English', async () => {
    const { page } = viewer;
    await page.getByRole('heading', { name: 'Ringkasan keterlambatan' }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Overdue overview' }).waitFor();
    await check(page, 'viewer-overview-en');
    await page.getByRole('button', { name: 'Bahasa Indonesia' }).click();
  });

  // The DPO asks who read Aisyah's records, exports the answer as CSV, then restricts and lifts.
  const dpo = await logIn(browser, svc.base, w.users.dpo);
  sessions.push(dpo);
  await step("DPO: the audit query for one child, its CSV, a subject's export, restriction and lifting", async () => {
    const { page } = dpo;
    await page.getByRole('heading', { name: 'Log audit' }).waitFor();
    await page.getByLabel('Nama (awal nama)').fill('Aisyah');
    await page.getByRole('button', { name: 'Cari' }).first().click();
    await page.locator('#subjects-found').getByRole('button', { name: 'Aisyah Putri' }).click();
    await page.locator('#form-audit-query').getByRole('button', { name: 'Cari' }).click();
    await page.locator('#audit-rows').getByText('Mendaftarkan subjek').waitFor();
    await page.locator('#audit-rows').getByText('Sri Wahyuni').first().waitFor();
    await check(page, 'dpo-audit-query');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Unduh CSV' }).click();
    const csv = readFileSync(await (await download).path(), 'utf8');
    const lines = csv.trim().split(/\r\n/);
    assert.equal(lines[0].replace('\uFEFF', ''), 'at,actorName,actorRole,action,entityType,entityId,subjectId,purpose,requestId,regencyCode');
    assert.equal(lines.length - 1, Number(await page.locator('#audit-count').innerText()));
    assert.ok(lines.some((l) => l.includes('subject.create') && l.includes('Sri Wahyuni')));
    await page.getByRole('link', { name: 'Hak subjek data' }).click();
    await page.getByLabel('Nama (awal nama)').fill('Aisyah');
    await page.getByRole('button', { name: 'Cari' }).first().click();
    await page.locator('#subjects-found').getByRole('button', { name: 'Aisyah Putri' }).click();
    await page.getByLabel('Tujuan').fill('Permohonan orang tua, surat 7/XII/2026');
    const exported = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Ekspor data' }).last().click();
    const data = JSON.parse(readFileSync(await (await exported).path(), 'utf8'));
    assert.equal(data.subject?.name ?? data.subject?.subject?.name, 'Aisyah Putri');
    await page.getByLabel('Alasan pembatasan').fill('Permintaan orang tua, surat 8/XII/2026');
    await page.getByRole('button', { name: 'Batasi pemrosesan' }).last().click();
    await page.getByRole('button', { name: 'Cabut pembatasan' }).last().waitFor();
    await check(page, 'dpo-restricted');
    assert.equal((await call('GET', `${svc.api}/subjects/${w.subject.id}`, undefined, w.cm)).status, 404, 'a restricted subject vanishes for the case manager');
    await page.getByRole('button', { name: 'Cabut pembatasan' }).last().click();
    await page.getByRole('button', { name: 'Batasi pemrosesan' }).last().waitFor();
    assert.equal((await call('GET', `${svc.api}/subjects/${w.subject.id}`, undefined, w.cm)).status, 200);
  });

  // The TPK member (the bidan of Setiadarma's team) on a phone: her day, a visit, a family page.
  const tpk = await logIn(browser, svc.base, w.users.tpk, PHONE);
  sessions.push(tpk);
  const visitsOf = async (family) => (await must('GET', `${svc.api}/visits?familyId=${family.id}`, undefined, w.admin)).items;
  const dueCard = (name) => tpk.page.locator('#due-visits li').filter({ hasText: name });
  await step('TPK member on a phone: the visits due in her village, a family page, a visit recorded with the form; a refused one back in its form', async () => {
    const { page } = tpk;
    await page.getByRole('heading', { name: 'Kunjungan hari ini' }).waitFor();
    for (const name of ['Siti', 'Nur', 'Wulan']) await dueCard(name).getByText('Kunjungan trimester 1').waitFor();
    await dueCard('Siti').getByText('Ibu hamil').waitFor();
    await dueCard('Siti').getByText('Setiadarma').waitFor();
    await check(page, 'tpk-day-phone');
    // Her family: members and the KRS assessment in words.
    await dueCard('Siti').getByRole('link', { name: 'Keluarga Siti' }).click();
    await page.getByRole('heading', { name: 'Keluarga Ahmad Fauzi' }).waitFor();
    await page.locator('#family-members').getByText('Istri').waitFor();
    await page.locator('#family-members').getByText('12 minggu').waitFor();
    await page.locator('#family-assessments').getByText('Baru').waitFor();
    await check(page, 'tpk-family-page');
    await page.getByRole('link', { name: 'Kembali' }).click();
    // The visit form, on her card.
    await dueCard('Siti').getByRole('button', { name: 'Catat kunjungan' }).click();
    const form = dueCard('Siti').locator('form');
    assert.equal(await form.getByLabel('Jenis kunjungan').inputValue(), 'RUMAH');
    await form.getByLabel('PMT', { exact: false }).check();
    await form.getByLabel('Catatan', { exact: true }).fill('Ibu sehat, diberi PMT dan tablet tambah darah');
    await check(page, 'tpk-visit-form');
    await form.getByRole('button', { name: 'Kirim' }).click();
    await page.locator('#visit-said').getByText('Kunjungan tersimpan.').waitFor();
    await dueCard('Siti').waitFor({ state: 'detached' }); // the first-trimester visit is made: she is not due this week
    const stored = await visitsOf(w.families.siti);
    assert.equal(stored.length, 1);
    assert.deepEqual([...stored[0].actions].sort(), ['KIE', 'PMT']);
    assert.equal(stored[0].subjectId, w.families.siti.motherId);
    assert.ok(stored[0].accompanimentId, 'the visit closes the step that was due');
    // Back to the family page (the phone's back button): the visit is on it.
    await page.goBack();
    await page.locator('#family-visits').getByText('Ibu sehat, diberi PMT').waitFor();
    await page.locator('#family-visits').getByText('Kunjungan rumah').waitFor();
    await check(page, 'tpk-family-visited');
    // A visit the server refuses once the signal returns (dated tomorrow) comes back to its form with the reason.
    const { context } = tpk;
    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 31 * 3_600_000).toISOString().slice(0, 10);
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Catat kunjungan' }).click();
    const familyForm = page.locator(`#form-visit-family-${w.families.siti.id}`);
    await familyForm.getByLabel('Tanggal kunjungan').fill(tomorrow);
    await familyForm.getByLabel('Catatan', { exact: true }).fill('Penyuluhan gizi untuk suami');
    await familyForm.getByRole('button', { name: 'Kirim' }).click();
    await page.locator('.pending-list li').first().waitFor();
    await context.setOffline(false);
    await familyForm.getByRole('alert').getByText('Ada isian yang perlu diperbaiki.').waitFor({ timeout: 40_000 });
    await familyForm.locator('.field.invalid').filter({ has: page.getByLabel('Tanggal kunjungan') }).locator('.field-error').waitFor();
    assert.equal(await familyForm.getByLabel('Catatan', { exact: true }).inputValue(), 'Penyuluhan gizi untuk suami');
    await check(page, 'tpk-visit-refused-back-in-form');
    assert.equal((await visitsOf(w.families.siti)).length, 1, 'the refused visit is not stored');
    await familyForm.getByLabel('Tanggal kunjungan').fill(today);
    await familyForm.getByRole('button', { name: 'Kirim' }).click();
    await page.locator('#family-visit-count').getByText('2').waitFor();
    await page.getByRole('link', { name: 'Kembali' }).click();
    await dueCard('Nur').waitFor();
  });

  await step('TPK member on a phone: two visits with no signal wait, then are stored exactly once each, in order', async () => {
    const { page, context } = tpk;
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    const stored = async () => ({ nur: await visitsOf(w.families.nur), wulan: await visitsOf(w.families.wulan) });
    await context.setOffline(true);
    for (const name of ['Nur', 'Wulan']) {
      await dueCard(name).getByRole('button', { name: 'Catat kunjungan' }).click();
      const form = dueCard(name).locator('form');
      await form.getByLabel('Catatan', { exact: true }).fill(`Kunjungan ke ${name}, tanpa sinyal`);
      await form.getByRole('button', { name: 'Kirim' }).click();
      await dueCard(name).getByText('menunggu sinyal').waitFor();
    }
    await page.locator('#visit-said').getByText('Tersimpan di perangkat', { exact: false }).waitFor();
    await page.locator('.pending-list li').nth(1).waitFor();
    await page.locator('#pending-count').getByText('2 menunggu sinyal').waitFor();
    await check(page, 'tpk-two-visits-waiting-offline');
    assert.deepEqual(await stored(), { nur: [], wulan: [] }, 'nothing is sent while there is no signal');
    await context.setOffline(false);
    await page.locator('#pending-count').waitFor({ state: 'detached', timeout: 40_000 });
    await dueCard('Nur').waitFor({ state: 'detached' });
    await dueCard('Wulan').waitFor({ state: 'detached' });
    await snap(page, 'tpk-back-online');
    const { nur, wulan } = await stored();
    assert.equal(nur.length + wulan.length, 2, 'exactly two visits are stored');
    assert.deepEqual([nur.length, wulan.length], [1, 1], 'each visit once');
    assert.equal(nur[0].notes, 'Kunjungan ke Nur, tanpa sinyal');
    assert.ok(nur[0].recordedAt <= wulan[0].recordedAt, 'sent in the order they were made');
  });

  // Every role at both widths: each screen of its menu, scanned and read in both languages.
  const auditor = await logIn(browser, svc.base, w.users.auditor, PHONE);
  sessions.push(auditor);
  await step('auditor on a phone: the queue and the case page, with the chart at full width', async () => {
    const { page } = auditor;
    await page.goto(`${svc.base}/#/cases/${w.caseId}`); // resolved by now, so no longer in the queue of open cases
    await page.locator('svg circle.pt').first().waitFor();
    const { svgWidth, bodyWidth, smallest } = await page.evaluate(() => ({
      svgWidth: document.querySelector('figure.growth svg').getBoundingClientRect().width,
      bodyWidth: document.documentElement.clientWidth,
      smallest: Math.min(...[...document.querySelectorAll('figure.growth svg text')].map((t) => parseFloat(getComputedStyle(t).fontSize))),
    }));
    assert.ok(svgWidth >= bodyWidth - 40, `the chart takes the width of the phone (${svgWidth} of ${bodyWidth} px)`);
    assert.ok(smallest >= 11, `chart labels are at least 11 px (${smallest})`);
    await check(page, 'auditor-case-phone');
  });

  await step('case manager: the dashboard draws the regency\'s register prevalence and its kecamatan as SVG; the province viewer sees the province page and the 8 Aksi board only', async () => {
    const s = await logIn(browser, svc.base, w.users.cm, WIDE);
    sessions.push(s);
    await s.page.goto(`${svc.base}/#/dashboard`);
    await s.page.locator('#tile-prevalence figure.trend svg, #tile-prevalence p').first().waitFor();
    await s.page.waitForFunction(() => !document.querySelector('main .loading'));
    for (const tile of ['#tile-prevalence', '#tile-hotspots', '#tile-lokus', '#tile-convergence']) {
      assert.equal(await s.page.locator(`${tile} .error`).count(), 0, `${tile} loads without an error`);
    }
    assert.ok((await s.page.locator('#tile-prevalence').innerText()).includes('register'), 'the rate is labelled as the register\'s');
    await check(s.page, 'dashboard-case-manager');
    await s.context.close();
    const p = await logIn(browser, svc.base, w.users.province, PHONE);
    sessions.push(p);
    const links = await p.page.locator('header nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(links, ['#/province', '#/aksi'], 'a province viewer has the province page and the 8 Aksi board only');
    await p.page.waitForFunction(() => !document.querySelector('main .loading'));
    assert.equal(await p.page.locator('#province .error').count(), 0, 'the province page loads without an error');
    await check(p.page, 'province-viewer-phone');
    await p.context.close();
  });

  const users = { admin: w.users.admin, cm: w.users.cm, auditor: w.users.auditor, liaison: w.users.liaison, csr: w.users.csr, viewer: w.users.viewer, dpo: w.users.dpo, tpk: w.users.tpk, province: w.users.province };
  for (const viewport of [WIDE, PHONE]) {
    for (const [who, u] of Object.entries(users)) {
      await step(`${who} at ${viewport.width} px: every screen of the menu`, async () => {
        const s = await logIn(browser, svc.base, u, viewport);
        sessions.push(s);
        const links = await s.page.locator('header nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        for (const href of links) {
          await s.page.goto(`${svc.base}/${href}`);
          await s.page.locator('main h1').first().waitFor();
          await s.page.waitForFunction(() => !document.querySelector('main .loading'));
          await check(s.page, `tour-${who}-${viewport.width}-${href.replace(/\W/g, '')}`);
        }
        await s.context.close();
      });
    }
  }

  // Needs the readiness, scores and version-download routes (issue 19 part 4): GET /aksi/:year,
  // PUT /aksi/:year/scores, GET /aksi/documents/:id/versions/:n.
  await step('case manager: the 8 Aksi board: the countdown, action 1 ready with its document, a version downloaded, the panel scores; the board on a phone, and the province viewer\'s', async () => {
    const s = await logIn(browser, svc.base, w.users.cm, WIDE);
    sessions.push(s);
    const { page } = s;
    const doc = w.aksi.document;
    await page.getByRole('link', { name: '8 Aksi Konvergensi' }).click();
    await page.getByRole('heading', { name: 'Kesiapan 8 Aksi Konvergensi' }).waitFor();
    await page.locator('#aksi-countdown').getByText('Batas unggah 20 hari lagi').waitFor();
    const one = page.locator('#aksi-actions li[data-action="1"]');
    await one.getByText('Siap', { exact: true }).waitFor();
    await one.getByText('Diunggah ke provinsi').first().waitFor();
    await one.getByText('Kelengkapan Master Ansit', { exact: false }).waitFor();
    const two = page.locator('#aksi-actions li[data-action="2"]');
    await two.getByText('Belum siap').waitFor();
    await two.getByText('Belum ada dokumen.').waitFor();
    assert.equal(await page.locator('#aksi-actions > li').count(), 8);
    await page.locator('#aksi-overdue-owners').getByText('Tidak ada dokumen yang terlambat.').waitFor();
    await page.locator('#aksi-total').getByText('Belum lengkap').waitFor();
    await check(page, 'cm-aksi-board');
    // The document from its card, and its version back as it was uploaded.
    await one.getByRole('link', { name: doc.title }).click();
    await page.getByRole('heading', { name: doc.title }).waitFor();
    const got = page.waitForEvent('download');
    await page.locator('#aksi-versions tr[data-version="1"]').getByRole('button', { name: /Unduh/ }).click();
    const file = await got;
    assert.equal(file.suggestedFilename(), 'analisis-situasi.pdf');
    assert.deepEqual(readFileSync(await file.path()), evidence, 'the version comes back byte for byte');
    await page.getByRole('link', { name: 'Kembali' }).click();
    // The panel's scores: two components first (incomplete), then all three (a weighted total).
    const scores = page.locator(`#form-aksi-scores-3216-${w.aksi.year}`);
    await scores.getByLabel('Dokumen', { exact: true }).fill('82,5');
    await scores.getByLabel('Presentasi', { exact: true }).fill('75');
    await scores.getByRole('button', { name: 'Simpan' }).click();
    await scores.getByText('Nilai tersimpan.').waitFor();
    await page.locator('#aksi-score tr[data-component="documents"]').getByText('82,5').first().waitFor();
    await page.locator('#aksi-total').getByText('Belum lengkap').waitFor();
    await scores.getByLabel('Dokumen', { exact: true }).fill('82,5');
    await scores.getByLabel('Presentasi', { exact: true }).fill('75');
    await scores.getByLabel('Verifikasi lapangan', { exact: true }).fill('80');
    await scores.getByRole('button', { name: 'Simpan' }).click();
    await page.locator('#aksi-total').getByText('80,5').waitFor(); // 0.6 × 82.5 + 0.2 × 75 + 0.2 × 80
    await check(page, 'cm-aksi-scored');
    await s.context.close();
    const p = await logIn(browser, svc.base, w.users.cm, PHONE);
    sessions.push(p);
    await p.page.goto(`${svc.base}/#/aksi`);
    await p.page.locator('#aksi-countdown').getByText('Batas unggah 20 hari lagi').waitFor();
    const width = await p.page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    assert.ok(width.scroll <= width.client, `the board fits the phone (${width.scroll} of ${width.client} px)`);
    await check(p.page, 'cm-aksi-board-phone');
    await p.context.close();
    // The province viewer picks the regency: the same counts, and no document (regency data).
    const prov = await logIn(browser, svc.base, w.users.province, PHONE);
    sessions.push(prov);
    await prov.page.goto(`${svc.base}/#/aksi`);
    await prov.page.locator('#pick-regency').selectOption({ label: 'Kabupaten Bekasi' });
    await prov.page.locator('#aksi-countdown').getByText('Batas unggah 20 hari lagi').waitFor();
    await prov.page.locator('#aksi-actions li[data-action="1"]').getByText('Siap', { exact: true }).waitFor();
    assert.equal(await prov.page.locator('#aksi-actions a').count(), 0, 'a province user sees no document');
    await check(prov.page, 'province-aksi-board-phone');
    await prov.context.close();
  });

  for (const s of sessions) assert.deepEqual(s.problems, [], 'no script errors in the page');
  const health = await call('GET', `${svc.base}/health`);
  assert.equal(health.status, 200);
} catch (e) {
  failed = true;
  for (const [i, ctx] of (browser?.contexts() ?? []).entries()) {
    for (const page of ctx.pages()) await page.screenshot({ path: join(SHOTS, `failed-${i}.png`), fullPage: true }).catch(() => undefined);
  }
  console.error(`browser tests failed after: ${steps.join(' | ') || 'nothing'}\n`, e);
} finally {
  await browser?.close().catch(() => undefined);
  await svc.stop();
}
console.log(failed ? 'browser tests: FAILED' : `browser tests: ${steps.length} passed, ${checked.length} screens scanned; screenshots in ${SHOTS}`);
process.exit(failed ? 1 : 0);
