// Browser tests of the web console: the real service (built, on a fresh embedded database) driven
// in headless Chromium (Debian's /usr/bin/chromium) through playwright-core. Screenshots of every
// step go to test/e2e-browser/screenshots/. Run with: npm run test:browser
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { call, login, must, seed, startService } from './lib.mjs';

const SHOTS = join(import.meta.dirname, 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
mkdirSync(SHOTS, { recursive: true });

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

async function logIn(browser, base, user, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport, locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
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

const svc = await startService(await freePort());
let browser;
let failed = false;
try {
  const w = await seed(svc.api);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    // playwright-core gives each launch a fresh, empty profile of its own (it refuses --user-data-dir here).
  });

  // 1. The case manager opens the case, records an audit recommending DINKES, sees the task.
  const cm = await logIn(browser, svc.base, w.users.cm);
  await step('case manager: the work queue, the case, an audit with a DINKES recommendation, the task', async () => {
    const { page } = cm;
    await page.getByRole('link', { name: 'Aisyah Putri' }).waitFor();
    await snap(page, 'cm-queue');
    await page.getByRole('link', { name: 'Aisyah Putri' }).click();
    await page.getByRole('heading', { name: /Aisyah Putri/ }).waitFor();
    await page.locator('svg[role="img"] circle.pt').first().waitFor();
    await snap(page, 'cm-case');
    const audit = page.locator(`#form-case-${w.caseId}-RECORD_AUDIT`);
    // First a send with no cause: the refusal is shown in words, per field, and nothing typed is lost.
    await audit.locator('#rec-action-0').fill('Pemberian PMT lokal 90 hari');
    await audit.locator('#rec-opd-0').selectOption('DINKES');
    await audit.getByRole('button', { name: 'Catat audit' }).click();
    await audit.getByRole('alert').getByText('Ada isian yang perlu diperbaiki.').waitFor();
    await snap(page, 'cm-audit-refused');
    assert.equal(await audit.locator('#rec-action-0').inputValue(), 'Pemberian PMT lokal 90 hari');
    await audit.getByLabel('Asupan gizi tidak memadai').check();
    await audit.getByRole('button', { name: 'Catat audit' }).click();
    await page.locator('#case-tasks').getByText('Pemberian PMT lokal 90 hari').waitFor();
    await page.getByRole('heading', { name: /Aisyah Putri/ }).getByText('Diaudit').waitFor();
    await snap(page, 'cm-task-appears');
  });

  // 2. The DINKES liaison acknowledges the task in one click, starts it and completes it.
  const liaison = await logIn(browser, svc.base, w.users.liaison);
  await step('DINKES liaison: acknowledge, start and complete the task', async () => {
    const { page } = liaison;
    const card = page.locator('#inbox li').filter({ hasText: 'Pemberian PMT lokal 90 hari' });
    await card.waitFor();
    await snap(page, 'liaison-inbox');
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
    await snap(page, 'liaison-done');
    const tasks = await must('GET', `${svc.api}/tasks?caseId=${w.caseId}`, undefined, w.cm);
    assert.equal(tasks.items[0].state, 'done');
  });

  // Set-up through the API: the case is offered to the sponsor, its partner proposes, the case manager approves.
  await must('POST', `${svc.api}/cases/${w.caseId}/offers`, { sponsorId: w.sponsor.id }, w.cm);
  const csrToken = await login(svc.api, w.users.csr.username, w.users.csr.password);
  const today = new Date().toISOString().slice(0, 10);
  const proposed = await must('POST', `${svc.api}/interventions`, { caseId: w.caseId, sponsorId: w.sponsor.id, catalogueCode: 'BAAS_PAKET', plannedStart: today, budgetIdr: 2_700_000 }, csrToken);
  await must('POST', `${svc.api}/interventions/${proposed.id}/events`, { type: 'APPROVE' }, w.cm, { 'If-Match': String(proposed.version) });
  await new Promise((r) => setTimeout(r, 1100)); // a delivery is stamped to the second, after the approval

  // 3. The CSR partner logs a delivery; the connection drops after the server stored it; the retry
  //    sends the same Idempotency-Key and one delivery is stored.
  const csr = await logIn(browser, svc.base, w.users.csr, { width: 360, height: 780 });
  await step('CSR partner: a delivery sent twice over a dropped connection is stored once', async () => {
    const { page } = csr;
    await page.getByRole('link', { name: 'BAAS_PAKET' }).click();
    const form = page.locator(`#form-delivery-${proposed.id}`);
    await form.waitFor();
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
    await form.getByText('Tidak dapat terhubung ke server').waitFor();
    await snap(page, 'csr-delivery-dropped');
    assert.equal(await form.getByLabel('Nilai (Rp)').inputValue(), '450000');
    await form.getByRole('button', { name: 'Kirim' }).click();
    await page.getByText('Penyaluran tercatat.').waitFor();
    await page.locator('#delivery-count').getByText('1').waitFor();
    await snap(page, 'csr-delivery-stored-once');
    assert.equal(keys.length, 2);
    assert.ok(keys[0] && keys[0] === keys[1], 'the retry reuses the Idempotency-Key');
    const deliveries = await must('GET', `${svc.api}/interventions/${proposed.id}/deliveries`, undefined, csrToken);
    assert.equal(deliveries.items.length, 1);
    await page.getByRole('link', { name: 'Laporan sponsor' }).click();
    await page.locator('figure.chart svg').waitFor();
    await snap(page, 'csr-sponsor-report');
  });

  // 4. The case manager sees the case intervened, records a new measurement, the re-measurement, and resolves it.
  await step('case manager: intervened, re-measured, resolved', async () => {
    const { page } = cm;
    await page.reload();
    const heading = page.getByRole('heading', { name: /Aisyah Putri/ });
    await heading.getByText('Diintervensi').waitFor();
    await snap(page, 'cm-intervened');
    const measure = page.locator(`#form-measure-${w.subject.id}`);
    await measure.getByLabel('Tinggi/panjang (cm)').fill('82');
    await measure.getByLabel('Berat (kg)').fill('10,2');
    await measure.getByRole('button', { name: 'Simpan' }).click();
    await measure.getByText('Pengukuran tersimpan.').waitFor();
    await page.locator('svg[role="img"] circle.pt').nth(1).waitFor();
    // A reading taken after the intervention started re-measures the case by itself; a reading
    // dated earlier the same day (the delivery was logged just now) leaves it to the form.
    const remeasure = page.locator(`#form-case-${w.caseId}-RECORD_REMEASUREMENT`);
    if ((await must('GET', `${svc.api}/cases/${w.caseId}`, undefined, w.cm)).state === 'intervened') {
      await remeasure.getByLabel('Tinggi/panjang (cm)').fill('82');
      await remeasure.getByRole('button', { name: 'Catat pengukuran ulang' }).click();
    }
    await heading.getByText('Diukur ulang').waitFor();
    await snap(page, 'cm-remeasured');
    // The DINKES task waits for the case manager's verification (resolving with a task in done is
    // refused by the API, see the README), so she verifies it first.
    const task = page.locator('#case-tasks li').filter({ hasText: 'Pemberian PMT lokal 90 hari' });
    await task.getByRole('button', { name: 'Verifikasi' }).click();
    await task.getByText('Diverifikasi').waitFor();
    const resolve = page.locator(`#form-case-${w.caseId}-RESOLVE`);
    await resolve.getByLabel('Catatan', { exact: true }).fill('TB/U membaik setelah PMT dan paket BAAS');
    await resolve.getByRole('button', { name: 'Nyatakan selesai' }).click();
    await heading.getByText('Selesai', { exact: true }).waitFor();
    await snap(page, 'cm-resolved');
    const c = await must('GET', `${svc.api}/cases/${w.caseId}`, undefined, w.cm);
    assert.equal(c.state, 'resolved');
  });

  // The viewer's overview, and the English switch.
  const viewer = await logIn(browser, svc.base, w.users.viewer);
  await step('viewer: overdue overview, in English', async () => {
    const { page } = viewer;
    await page.getByRole('heading', { name: 'Ringkasan keterlambatan' }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Overdue overview' }).waitFor();
    await snap(page, 'viewer-overview-en');
  });

  for (const s of [cm, liaison, csr, viewer]) assert.deepEqual(s.problems, [], 'no script errors in the page');
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
console.log(failed ? 'browser tests: FAILED' : `browser tests: ${steps.length} passed; screenshots in ${SHOTS}`);
process.exit(failed ? 1 : 0);
