import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EscalationSweeper } from '../../src/modules/escalation/escalation.sweeper.js';
import { checkEveryReplays } from '../support/cases.js';
import { createTestApp, login, type TestApp } from '../support/test-app.js';
import { bearer, buildWideActors, buildWorld, createUser, type WideActors, type World } from '../support/world.js';

const YEAR = 2027;
/** Kab. Bekasi's own cycle: the upload day ends at 2027-01-20 24:00 WIB. */
const CYCLE = { uploadDeadline: '2027-01-20', verificationDate: '2027-01-27', assessmentDate: '2027-02-03' };
const DUE = '2027-01-20T17:00:00.000Z';

/** Every file under the store, recursively. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('8 Aksi: the assessment cycle and evidence documents on the workflow kernel', () => {
  let t: TestApp;
  let w: World;
  let wide: WideActors;
  const filesDir = mkdtempSync(join(tmpdir(), 'aksi-files-'));
  let bappedaId: string;
  let headId: string;
  let tppsId: string;
  let liaison: Record<string, string>; // BAPPEDA's liaison in Kab. Bekasi
  let liaisonId: string;
  let cm: Record<string, string>;

  const http = () => t.http();
  const doc = async (id: string, who = cm) => (await http().get(`/api/v1/aksi/documents/${id}`).set(who).expect(200)).body;
  const send = (id: string, version: number | string, body: object, who = cm) =>
    http().post(`/api/v1/aksi/documents/${id}/events`).set(who).set('If-Match', `"${version}"`).send(body);
  const upload = (id: string, body: string, who = liaison, name = 'analisis.pdf') =>
    http().post(`/api/v1/aksi/documents/${id}/versions`).set(who).attach('file', Buffer.from(body), name);
  const create = (body: object, who = cm) => http().post(`/api/v1/aksi/${YEAR}/documents`).set(who).send(body);

  beforeAll(async () => {
    // The year runs up to its upload deadline: tokens last the weeks the clock moves on.
    t = await createTestApp({ AKSI_FILES_DIR: filesDir, JWT_TTL_SECONDS: String(30 * 24 * 3600) });
    t.clock.set(new Date('2027-01-02T03:00:00Z'));
    w = await buildWorld(t);
    wide = await buildWideActors(t, w.nationalToken);
    const national = bearer(w.nationalToken);
    cm = bearer(w.a.tokens.case_manager);
    const head = await createUser(t, w.nationalToken, { username: 'kepala.bappeda.a', role: 'viewer', regencyCode: w.a.regencyCode });
    headId = head.id;
    const bappeda = await http()
      .post('/api/v1/opds')
      .set(national)
      .send({ regencyCode: w.a.regencyCode, code: 'BAPPEDA', name: 'Badan Perencanaan Pembangunan Daerah', headUserId: headId })
      .expect(201);
    bappedaId = bappeda.body.id;
    const l = await createUser(t, w.nationalToken, { username: 'liaison.bappeda.a', role: 'opd_liaison', regencyCode: w.a.regencyCode, opdId: bappedaId });
    liaisonId = l.id;
    liaison = bearer(await login(t, 'liaison.bappeda.a', l.password));
    const tpps = await createUser(t, w.nationalToken, { username: 'ketua.tpps.a', role: 'viewer', regencyCode: w.a.regencyCode });
    tppsId = tpps.id;
    await http()
      .put(`/api/v1/sla-policies/${w.a.regencyCode}`)
      .set(bearer(w.a.tokens.admin))
      .send({ days: { identified: 30, audited: 14, intervened: 30, remeasured: 7 }, contacts: { tppsChairUserId: tppsId } })
      .expect(200);
  }, 180_000);

  afterAll(async () => {
    await t?.close();
    rmSync(filesDir, { recursive: true, force: true });
  });

  it('sets a cycle: a province for its regencies, a regency its own; bad weights and dates are refused with the field', async () => {
    const admin = bearer(w.a.tokens.admin);
    const bad = await http().put(`/api/v1/aksi/${YEAR}/cycle`).set(admin).send({ ...CYCLE, weights: { documents: 60, presentation: 20, field: 30 } }).expect(400);
    expect(bad.body.details.fields).toEqual([{ field: 'weights', reason: 'must add up to 100, not 110' }]);
    const badId = await http().put(`/api/v1/aksi/${YEAR}/cycle`).set(admin).set('Accept-Language', 'id').send({ ...CYCLE, weights: { documents: 50, presentation: 20, field: 20 } }).expect(400);
    expect(badId.body.details.fields).toEqual([{ field: 'weights', reason: 'jumlahnya harus 100, bukan 90' }]);
    const order = await http().put(`/api/v1/aksi/${YEAR}/cycle`).set(admin).send({ ...CYCLE, assessmentDate: '2027-01-26' }).expect(400);
    expect(order.body.details.fields).toEqual([{ field: 'assessmentDate', reason: 'must not be before verificationDate' }]);
    const unreal = await http().put(`/api/v1/aksi/${YEAR}/cycle`).set(admin).send({ ...CYCLE, uploadDeadline: '2027-02-30' }).expect(400);
    expect(unreal.body.details.fields).toEqual([{ field: 'uploadDeadline', reason: 'is not a real calendar day' }]);
    await http().put(`/api/v1/aksi/${YEAR}/cycle`).set(bearer(w.a.tokens.case_manager)).send(CYCLE).expect(403);
    expect(await t.sql(`SELECT * FROM aksi_cycles`)).toEqual([]);

    // No cycle yet: the defaults, with no dates.
    const none = await http().get(`/api/v1/aksi/${YEAR}/cycle`).set(bearer(w.b.tokens.viewer)).expect(200);
    expect(none.body).toMatchObject({ regionCode: '3273', source: null, uploadDeadline: null, weights: { documents: 60, presentation: 20, field: 20 }, scoredActions: [1, 2, 3, 4, 5, 6, 7, 8] });

    // Jawa Barat's cycle (31 May, as in 2024): Kota Bandung follows it.
    const province = await http()
      .put(`/api/v1/aksi/${YEAR}/cycle`)
      .set(bearer(wide.tokens.provinceAdmin))
      .send({ uploadDeadline: '2027-05-31', verificationDate: '2027-06-05', assessmentDate: '2027-06-10', scoredActions: [8, 1, 2] })
      .expect(200);
    expect(province.body).toMatchObject({ regionCode: '32', source: 'province', scoredActions: [1, 2, 8] });
    await http().put(`/api/v1/aksi/${YEAR}/cycle?regionCode=3171`).set(bearer(wide.tokens.provinceAdmin)).send(CYCLE).expect(404);
    await http().put(`/api/v1/aksi/${YEAR}/cycle`).set(bearer(wide.tokens.provinceViewer)).send(CYCLE).expect(403);
    const bandung = await http().get(`/api/v1/aksi/${YEAR}/cycle`).set(bearer(w.b.tokens.viewer)).expect(200);
    expect(bandung.body).toMatchObject({ source: 'province', uploadDeadline: '2027-05-31', uploadClosesAt: '2027-05-31T17:00:00.000Z', utcOffset: '+07:00' });

    // Kab. Bekasi sets its own, which wins over the province's.
    const own = await http().put(`/api/v1/aksi/${YEAR}/cycle`).set(admin).send(CYCLE).expect(200);
    expect(own.body).toMatchObject({ regionCode: '3216', source: 'regency', ...CYCLE, uploadClosesAt: DUE, weights: { documents: 60, presentation: 20, field: 20 } });
    const seen = await http().get(`/api/v1/aksi/${YEAR}/cycle?regionCode=3216`).set(bearer(wide.tokens.provinceViewer)).expect(200);
    expect(seen.body).toMatchObject({ source: 'regency', ...CYCLE });
    await http().get(`/api/v1/aksi/${YEAR}/cycle?regionCode=3216`).set(bearer(wide.tokens.otherProvinceViewer)).expect(404);
    await http().get(`/api/v1/aksi/${YEAR}/cycle?regionCode=3273`).set(bearer(w.a.tokens.viewer)).expect(404);
    const rows = await t.sql<{ region_code: string }>(`SELECT region_code FROM aksi_cycles WHERE year = $1 ORDER BY region_code`, [YEAR]);
    expect(rows.map((r) => r.region_code)).toEqual(['32', '3216']);
  });

  it('moves a document through its states with If-Match; a submitted one refuses a new version; a revision makes version 2', async () => {
    const created = await create({ action: 1, type: 'situation_analysis', title: 'Laporan Analisis Situasi 2027' }).expect(201);
    const id = created.body.id as string;
    expect(created.headers.etag).toBe('"1"');
    expect(created.body).toMatchObject({ state: 'draft', ownerOpdId: bappedaId, ownerOpdCode: 'BAPPEDA', currentVersion: null, deadline: { step: 'prepare', dueAt: DUE, escalationLevel: 0, nextEscalationAt: '2027-01-06T17:00:00.000Z' } });
    await create({ action: 9, type: 'situation_analysis', title: 'x' }).expect(400);
    await create({ action: 1, type: 'situation_analysis', title: 'x', ownerOpdId: w.b.opdId }).expect(400);
    await create({ action: 1, type: 'situation_analysis', title: 'x' }, liaison).expect(403);
    await http().post(`/api/v1/aksi/2031/documents`).set(cm).send({ action: 1, type: 'other', title: 'x' }).expect(409);

    // Not ready without a file.
    const early = await send(id, 1, { type: 'MARK_READY' }, liaison).expect(422);
    expect(early.body.error).toBe('GUARD_FAILED');
    // Another OPD's liaison (DINKES) may not touch BAPPEDA's document; nothing is stored.
    await upload(id, 'bukan milik dinkes', bearer(w.a.tokens.opd_liaison)).expect(403);
    await send(id, 1, { type: 'MARK_READY' }, bearer(w.a.tokens.opd_liaison)).expect(403);
    expect(filesUnder(filesDir)).toEqual([]);

    const body1 = 'Laporan analisis situasi, versi 1';
    const v1 = await upload(id, body1).expect(201);
    const sha1 = createHash('sha256').update(body1).digest('hex');
    expect(v1.body).toMatchObject({ state: 'draft', version: 2, currentVersion: 1, versions: [{ n: 1, sha256: sha1, size: Buffer.byteLength(body1), filename: 'analisis.pdf', uploadedBy: liaisonId }] });
    // The body is on disk under AKSI_FILES_DIR, named by its sha256, and in no table.
    const path1 = join(filesDir, sha1.slice(0, 2), `${sha1}.bin`);
    expect(readFileSync(path1, 'utf8')).toBe(body1);
    expect(createHash('sha256').update(readFileSync(path1)).digest('hex')).toBe(sha1);
    for (const table of ['aksi_documents', 'aksi_document_versions', 'aksi_document_history']) {
      expect(await t.sql(`SELECT 1 FROM ${table} x WHERE x::text LIKE $1`, [`%${body1}%`])).toEqual([]);
    }

    // A stale If-Match is refused with the current version; a missing one with 428.
    const stale = await send(id, 1, { type: 'MARK_READY' }, liaison).expect(409);
    expect([stale.body.error, stale.body.details.currentVersion]).toEqual(['VERSION_CONFLICT', 2]);
    await http().post(`/api/v1/aksi/documents/${id}/events`).set(liaison).send({ type: 'MARK_READY' }).expect(428);
    await send(id, 2, { type: 'MARK_READY' }, liaison).expect(200);
    // Ready leaves the preparation step: nothing of it escalates.
    expect((await doc(id)).deadline).toBeNull();
    // The liaison may not submit to the province; the secretariat does.
    await send(id, 3, { type: 'UPLOAD' }, liaison).expect(403);
    await send(id, 3, { type: 'ACCEPT' }).expect(409);
    const uploaded = await send(id, 3, { type: 'UPLOAD', note: 'diunggah ke aksi.bangda' }).expect(200);
    expect(uploaded.body).toMatchObject({ state: 'uploaded', markedVersion: 1, allowedEvents: ['ACCEPT', 'REQUEST_REVISION'] });

    // Uploaded: the file is immutable.
    const refused = await upload(id, 'versi 2 terlalu cepat').expect(409);
    expect(refused.body.message).toMatch(/the document is uploaded: .* a new version needs a revision first/);
    expect(filesUnder(filesDir)).toHaveLength(1);
    const revision = await send(id, 4, { type: 'REQUEST_REVISION', reason: 'Tanda tangan Bupati belum ada' }).expect(200);
    expect(revision.body).toMatchObject({ state: 'revision_requested', revisionReason: 'Tanda tangan Bupati belum ada' });
    await upload(id, 'masih ditolak').expect(409);
    await send(id, 5, { type: 'REVISE' }, liaison).expect(200);
    const body2 = 'Laporan analisis situasi, versi 2 bertanda tangan';
    const v2 = await upload(id, body2, liaison, 'analisis-v2.pdf').expect(201);
    expect(v2.body).toMatchObject({ state: 'draft', currentVersion: 2 });
    expect(v2.body.versions.map((v: { n: number; sha256: string }) => [v.n, v.sha256])).toEqual([
      [1, sha1],
      [2, createHash('sha256').update(body2).digest('hex')],
    ]);
    // A new version in ready takes the document back to draft.
    await send(id, 7, { type: 'MARK_READY' }, liaison).expect(200);
    const v3 = await http().post(`/api/v1/aksi/documents/${id}/versions`).set(cm).set('If-Match', '"8"').attach('file', Buffer.from('versi 3'), 'v3.pdf').expect(201);
    expect(v3.body).toMatchObject({ state: 'draft', currentVersion: 3, markedVersion: null, version: 9 });
    await send(id, 9, { type: 'MARK_READY' }).expect(200);
    await send(id, 10, { type: 'UPLOAD' }).expect(200);
    const accepted = await send(id, 11, { type: 'ACCEPT' }).expect(200);
    expect(accepted.body).toMatchObject({ state: 'accepted', markedVersion: 3, version: 12 });
    await upload(id, 'sesudah diterima').expect(409);

    const full = await doc(id, bearer(w.a.tokens.viewer));
    expect(full.history.map((h: { type: string }) => h.type)).toEqual([
      'CREATE', 'ADD_VERSION', 'MARK_READY', 'UPLOAD', 'REQUEST_REVISION', 'REVISE', 'ADD_VERSION', 'MARK_READY', 'ADD_VERSION', 'MARK_READY', 'UPLOAD', 'ACCEPT',
    ]);
    expect(full.allowedEvents).toEqual([]);
    const stored = await t.sql<{ n: number }>(`SELECT n FROM aksi_document_versions WHERE document_id = $1 ORDER BY n`, [id]);
    expect(stored.map((r) => r.n)).toEqual([1, 2, 3]);
    expect(filesUnder(filesDir)).toHaveLength(3);

    // A viewer reads but does not act; another regency sees nothing of it.
    await send(id, 12, { type: 'REQUEST_REVISION', reason: 'x' }, bearer(w.a.tokens.viewer)).expect(403);
    await http().get(`/api/v1/aksi/documents/${id}`).set(bearer(w.b.tokens.case_manager)).expect(404);
    await send(id, 12, { type: 'REQUEST_REVISION', reason: 'x' }, bearer(w.b.tokens.case_manager)).expect(404);
    await upload(id, 'dari bandung', bearer(w.b.tokens.case_manager)).expect(404);
    const listB = await http().get(`/api/v1/aksi/${YEAR}/documents`).set(bearer(w.b.tokens.case_manager)).expect(200);
    expect(listB.body.items).toEqual([]);
    const listA = await http().get(`/api/v1/aksi/${YEAR}/documents?action=1&state=accepted`).set(bearer(w.a.tokens.viewer)).expect(200);
    expect(listA.body.items.map((d: { id: string }) => d.id)).toEqual([id]);
  });

  it('escalates a document not ready before the upload deadline once per rung: liaisons at D-14, the OPD head at D-7, the TPPS chair at D-1', async () => {
    const late = (await create({ action: 3, type: 'rembuk_minutes', title: 'Berita Acara Rembuk Stunting 2027' }).expect(201)).body.id as string;
    const prompt = (await create({ action: 4, type: 'perbup', title: 'Perbup Peran Desa' }).expect(201)).body.id as string;
    await upload(prompt, 'perbup ditandatangani').expect(201);
    await send(prompt, 2, { type: 'MARK_READY' }, liaison).expect(200);

    const sweeper = t.app.get(EscalationSweeper);
    const sweepAll = async () => {
      let fired = 0;
      for (let n = (await sweeper.sweep()).fired; n > 0; n = (await sweeper.sweep()).fired) fired += n;
      return fired;
    };
    const escalationsOf = (id: string) =>
      t.sql<{ level: number; scheduled_at: Date; recipients: { rule: string; userId?: string; missing?: boolean }[] }>(
        `SELECT level, scheduled_at, recipients FROM escalations WHERE aggregate_type = 'aksi_document' AND aggregate_id = $1 ORDER BY level`,
        [id],
      );

    // D-15: nothing yet.
    t.clock.set(new Date('2027-01-05T17:00:00Z'));
    expect(await sweepAll()).toBe(0);
    // D-7 has begun (14 January 00:00 WIB, 7 days left): rungs 1 and 2 fire, once each.
    t.clock.set(new Date('2027-01-13T18:00:00Z'));
    expect(await sweepAll()).toBe(2);
    expect(await sweepAll()).toBe(0);
    let fired = await escalationsOf(late);
    expect(fired.map((e) => [e.level, new Date(e.scheduled_at).toISOString(), e.recipients])).toEqual([
      [1, '2027-01-06T17:00:00.000Z', [{ rule: 'assignee', userId: liaisonId }]],
      [2, '2027-01-13T17:00:00.000Z', [{ rule: 'opd_head', userId: headId }]],
    ]);
    expect((await doc(late)).deadline).toMatchObject({ escalationLevel: 2, nextEscalationAt: '2027-01-19T17:00:00.000Z' });
    // A new version keeps the same step: the rungs already fired are not fired again.
    await upload(late, 'notulen draf').expect(201);
    expect(await sweepAll()).toBe(0);
    // D-1 (20 January 00:00 WIB): the TPPS chair.
    t.clock.set(new Date('2027-01-19T17:00:00Z'));
    expect(await sweepAll()).toBe(1);
    t.clock.set(new Date('2027-01-25T00:00:00Z'));
    expect(await sweepAll()).toBe(0);
    fired = await escalationsOf(late);
    expect(fired.map((e) => [e.level, e.recipients])).toEqual([
      [1, [{ rule: 'assignee', userId: liaisonId }]],
      [2, [{ rule: 'opd_head', userId: headId }]],
      [3, [{ rule: 'tpps_chair', userId: tppsId }]],
    ]);
    // The ready one never escalated; every rung of the late one is recorded once.
    expect(await escalationsOf(prompt)).toEqual([]);
    const [counts] = await t.sql<{ n: string; distinct_levels: string }>(
      `SELECT count(*) AS n, count(DISTINCT level) AS distinct_levels FROM escalations WHERE aggregate_type = 'aksi_document'`,
    );
    expect([Number(counts.n), Number(counts.distinct_levels)]).toEqual([3, 3]);
    // The liaisons' inbox has the first rung.
    const inbox = await t.sql(`SELECT 1 FROM notifications WHERE recipient_user_id = $1 AND channel = 'inbox'`, [liaisonId]);
    expect(inbox).toHaveLength(1);
    // The escalations list shows them with the rest.
    const listed = await http().get(`/api/v1/escalations?limit=200`).set(cm).expect(200);
    const mine = listed.body.items.filter((e: { aggregateId: string }) => e.aggregateId === late);
    expect(mine.map((e: { aggregateType: string; level: number; step: string; dueAt: string }) => [e.aggregateType, e.level, e.step, e.dueAt]).sort()).toEqual([
      ['aksi_document', 1, 'prepare', DUE],
      ['aksi_document', 2, 'prepare', DUE],
      ['aksi_document', 3, 'prepare', DUE],
    ]);
  });

  it('a changed cycle re-times the documents still being prepared', async () => {
    t.clock.set(new Date('2027-01-10T00:00:00Z'));
    const id = (await create({ action: 2, type: 'activity_plan', title: 'Rencana Kegiatan 2027' }).expect(201)).body.id as string;
    await http().put(`/api/v1/aksi/${YEAR}/cycle`).set(bearer(w.a.tokens.admin)).send({ ...CYCLE, uploadDeadline: '2027-01-22' }).expect(200);
    expect((await doc(id)).deadline).toMatchObject({ dueAt: '2027-01-22T17:00:00.000Z' });
    const [row] = await t.sql<{ step_due_at: Date }>(`SELECT step_due_at FROM aksi_documents WHERE id = $1`, [id]);
    expect(new Date(row.step_due_at).toISOString()).toBe('2027-01-22T17:00:00.000Z');
    // The province's change does not reach a regency with its own cycle.
    await http()
      .put(`/api/v1/aksi/${YEAR}/cycle`)
      .set(bearer(wide.tokens.provinceAdmin))
      .send({ uploadDeadline: '2027-05-30', verificationDate: '2027-06-05', assessmentDate: '2027-06-10' })
      .expect(200);
    expect((await doc(id)).deadline).toMatchObject({ dueAt: '2027-01-22T17:00:00.000Z' });
  });

  it("takes a regency's own evidence ladder in its SLA policy, rungs before the deadline only", async () => {
    const admin = bearer(w.a.tokens.admin);
    const days = { identified: 30, audited: 14, intervened: 30, remeasured: 7 };
    const rung = (level: number, afterDays: number) => ({ level, afterDays, notify: ['assignee'], channels: ['inbox'] });
    const before = await http().get(`/api/v1/sla-policies/${w.a.regencyCode}`).set(admin).expect(200);
    expect(before.body.aksi.ladder.map((r: { afterDays: number }) => r.afterDays)).toEqual([-14, -7, -1]);
    const after = await http().put(`/api/v1/sla-policies/${w.a.regencyCode}`).set(admin).send({ days, aksi: { ladder: [rung(1, 1)] } }).expect(400);
    expect(after.body.details.fields).toEqual([{ field: 'aksi.ladder.0.afterDays', reason: 'must be at most 0' }]);
    const order = await http().put(`/api/v1/sla-policies/${w.a.regencyCode}`).set(admin).send({ days, aksi: { ladder: [rung(1, -3), rung(2, -10)] } }).expect(400);
    expect(order.body.details.fields).toEqual([{ field: 'aksi.ladder.1.afterDays', reason: 'must not be before the previous rung' }]);
    const set = await http().put(`/api/v1/sla-policies/${w.a.regencyCode}`).set(admin).send({ days, aksi: { ladder: [rung(1, -30), rung(2, -3)] } }).expect(200);
    expect(set.body.aksi.ladder.map((r: { afterDays: number }) => r.afterDays)).toEqual([-30, -3]);
    // A document opened now climbs the regency's ladder.
    t.clock.set(new Date('2027-01-12T00:00:00Z'));
    const id = (await create({ action: 5, type: 'kpm_decree', title: 'SK KPM 2027' }).expect(201)).body.id as string;
    expect((await doc(id)).deadline).toMatchObject({ dueAt: '2027-01-22T17:00:00.000Z', nextEscalationAt: '2026-12-23T17:00:00.000Z' });
  });

  it("shows the year's readiness per action, the late documents and their owners, Master Ansit completeness, and the panel's weighted score", async () => {
    const cycle = (await http().get(`/api/v1/aksi/${YEAR}/cycle`).set(cm).expect(200)).body;
    // Two days before Kab. Bekasi's upload day, 09:00 WIB.
    const before = new Date(Date.parse(`${cycle.uploadDeadline}T02:00:00Z`) - 2 * 86_400_000);
    t.clock.set(before);
    const board = (await http().get(`/api/v1/aksi/${YEAR}`).set(bearer(w.a.tokens.opd_liaison)).expect(200)).body;
    expect(board).toMatchObject({ year: YEAR, regencyCode: '3216', daysToDeadline: 2, overdueOwners: [], cycle: { uploadDeadline: cycle.uploadDeadline } });
    expect(board.actions.map((a: { action: number }) => a.action)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // Every count equals the stored rows.
    const stored = await t.sql<{ action: number; state: string; n: number }>(
      `SELECT action, state, count(*)::int AS n FROM aksi_documents WHERE regency_code = '3216' AND year = $1 GROUP BY action, state`,
      [YEAR],
    );
    for (const a of board.actions) {
      const mine = stored.filter((r) => r.action === a.action);
      expect(a.documents.total).toBe(mine.reduce((sum, r) => sum + r.n, 0));
      for (const r of mine) expect(a.documents[r.state]).toBe(r.n);
      expect(a.ready).toBe(a.documents.total > 0 && mine.every((r) => !['draft', 'revision_requested'].includes(r.state)));
      expect(a.overdue).toEqual([]);
    }
    expect(board.actions[0].ready).toBe(true); // the accepted situation analysis
    expect(board.actions[0].indicators).toEqual(board.indicators);
    expect(board.actions[1].indicators).toBeNull();
    const ansit = (await http().get(`/api/v1/ansit/${YEAR}/completeness`).set(cm).expect(200)).body;
    expect(board.indicators).toEqual({ villages: ansit.villages, indicators: ansit.indicators, cells: ansit.cells, filled: ansit.filled, ratio: ansit.ratio, indicatorsDone: ansit.indicatorsDone });

    // Once the upload day has ended in WIB, what is still being prepared is late, by owner.
    t.clock.set(new Date(Date.parse(cycle.uploadClosesAt) + 60_000));
    const late = (await http().get(`/api/v1/aksi/${YEAR}`).set(cm).expect(200)).body;
    expect(late.daysToDeadline).toBe(-1);
    const preparing = await t.sql<{ id: string }>(
      `SELECT id FROM aksi_documents WHERE regency_code = '3216' AND year = $1 AND state IN ('draft', 'revision_requested') ORDER BY id`,
      [YEAR],
    );
    expect(preparing.length).toBeGreaterThan(0);
    const overdue = late.actions.flatMap((a: { overdue: { id: string; ownerOpd: { code: string } }[] }) => a.overdue);
    expect(overdue.map((d: { id: string }) => d.id).sort()).toEqual(preparing.map((r) => r.id));
    expect(overdue.every((d: { ownerOpd: { code: string } }) => d.ownerOpd.code === 'BAPPEDA')).toBe(true);
    expect(late.overdueOwners).toEqual([{ opdId: bappedaId, code: 'BAPPEDA', name: 'Badan Perencanaan Pembangunan Daerah', documents: preparing.length }]);

    // The province reads it by naming the regency; another province cannot; a regency user sees only its own.
    await http().get(`/api/v1/aksi/${YEAR}?regionCode=3216`).set(bearer(wide.tokens.provinceViewer)).expect(200);
    const unnamed = await http().get(`/api/v1/aksi/${YEAR}`).set(bearer(wide.tokens.provinceViewer)).expect(400);
    expect(unnamed.body.details.fields[0].field).toBe('regionCode');
    await http().get(`/api/v1/aksi/${YEAR}?regionCode=3216`).set(bearer(wide.tokens.otherProvinceViewer)).expect(404);
    await http().get(`/api/v1/aksi/${YEAR}?regionCode=3216`).set(bearer(w.b.tokens.viewer)).expect(404);

    // The panel's points, weighed by the cycle; no total until every weighted component has points.
    const scores = (body: object, who = cm) => http().put(`/api/v1/aksi/${YEAR}/scores`).set(who).send(body);
    const partial = (await scores({ scores: { documents: 80, presentation: 90 } }).expect(200)).body.score;
    expect(partial).toMatchObject({ total: null, complete: false });
    await scores({ panelist: 'Panelis 2', scores: { documents: 90 } }).expect(200);
    const full = (await scores({ scores: { field: 70 } }).expect(200)).body.score;
    const { documents, presentation, field } = cycle.weights;
    expect(full.components.map((c: { points: number }) => c.points)).toEqual([85, 90, 70]);
    expect(full.total).toBeCloseTo((documents * 85 + presentation * 90 + field * 70) / 100, 2);
    expect(full.complete).toBe(true);
    const bad = await scores({ scores: { documents: 120 } }).expect(400);
    expect(bad.body.details.fields[0].field).toBe('scores.documents');
    const empty = await scores({ scores: {} }).expect(400);
    expect(empty.body.details.fields[0].field).toBe('scores');
    await scores({ scores: { field: 60 } }, bearer(w.a.tokens.opd_liaison)).expect(403);
    await scores({ scores: { field: 60 } }, bearer(w.a.tokens.viewer)).expect(403);
    await scores({ regionCode: '3216', scores: { field: 60 } }, bearer(wide.tokens.provinceViewer)).expect(403);
    const byProvince = (await scores({ regionCode: '3216', panelist: 'Panelis 2', scores: { field: 80 } }, bearer(wide.tokens.provinceAdmin)).expect(200)).body.score;
    expect(byProvince.components[2]).toMatchObject({ points: 75, panelists: [{ panelist: 'panel', points: 70 }, { panelist: 'Panelis 2', points: 80 }] });
    await scores({ regionCode: '3171', scores: { field: 80 } }, bearer(wide.tokens.provinceAdmin)).expect(404);
  });

  it("serves a version's file to the document's readers, as uploaded", async () => {
    const [v] = await t.sql<{ document_id: string; n: number; sha256: string; filename: string }>(
      `SELECT document_id, n, sha256, filename FROM aksi_document_versions WHERE filename = 'analisis.pdf' ORDER BY n LIMIT 1`,
    );
    const res = await http().get(`/api/v1/aksi/documents/${v.document_id}/versions/${v.n}`).set(bearer(w.a.tokens.viewer)).buffer(true).parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(createHash('sha256').update(res.body as Buffer).digest('hex')).toBe(v.sha256);
    expect(res.headers['content-disposition']).toContain('filename="analisis.pdf"');
    expect(res.headers.etag).toBe(`"${v.sha256}"`);
    await http().get(`/api/v1/aksi/documents/${v.document_id}/versions/99`).set(cm).expect(404);
    await http().get(`/api/v1/aksi/documents/${v.document_id}/versions/${v.n}`).set(bearer(w.b.tokens.case_manager)).expect(404);
    await http().get(`/api/v1/aksi/documents/${v.document_id}/versions/x`).set(cm).expect(400);
  });

  it('keeps the replay invariant for every document', async () => {
    const [stored] = await t.sql<{ n: string }>(`SELECT count(*) AS n FROM aksi_documents`);
    expect(Number(stored.n)).toBe(5);
    expect(await checkEveryReplays(t, 'aksi_document')).toBe(5);
  });
});
