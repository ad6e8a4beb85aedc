import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AuditService } from '../../src/modules/audit/audit.service.js';
import { RetentionService } from '../../src/modules/privacy/retention.service.js';
import { checkEveryCaseReplays } from '../support/cases.js';
import { importFile } from '../support/imports.js';
import { createTestApp, T0, type TestApp } from '../support/test-app.js';
import { bearer, buildWorld, nikFor, REGENCY_A, type World } from '../support/world.js';

/** Data-subject rights: access (export), restriction of processing, and retention. */
describe('data-subject rights', () => {
  let t: TestApp;
  let w: World;
  let cm: Record<string, string>;
  let dpo: Record<string, string>;
  let nik: string;
  let subjectId: string;
  let caseId: string;

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildWorld(t);
    cm = bearer(w.a.tokens.case_manager);
    dpo = bearer(w.a.tokens.dpo);
    nik = nikFor(REGENCY_A.district);
    const s = await t
      .http()
      .post('/api/v1/subjects')
      .set(cm)
      .send({ targetGroup: 'BALITA', name: 'Nadia Restu', sex: 'F', birthDate: '2024-03-01', nik, motherName: 'Ibu Restu', villageCode: REGENCY_A.village })
      .expect(201);
    subjectId = s.body.id;
    const m = await t.http().post(`/api/v1/subjects/${subjectId}/measurements`).set(cm).send({ measuredAt: '2026-11-20', heightCm: 82, weightKg: 10, method: 'standing' }).expect(201);
    caseId = m.body.caseId;
    await t.http().post(`/api/v1/cases/${caseId}/offers`).set(cm).send({ sponsorId: w.a.sponsorId }).expect(201);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('exports everything held about a person to a DPO who says why', async () => {
    await t.http().get(`/api/v1/subjects/${subjectId}/export`).set(dpo).expect(400);
    await t.http().get(`/api/v1/subjects/${subjectId}/export`).set(cm).set('X-Purpose', 'x').expect(403);
    const res = await t.http().get(`/api/v1/subjects/${subjectId}/export`).set(dpo).set('X-Purpose', 'permintaan akses orang tua').expect(200);
    expect(res.body.subject).toMatchObject({ id: subjectId, name: 'Nadia Restu', nik, motherName: 'Ibu Restu' });
    expect(res.body.measurements).toHaveLength(1);
    expect(res.body.cases).toEqual([expect.objectContaining({ id: caseId, history: [expect.objectContaining({ type: 'OPEN' })] })]);
    expect(res.body).toHaveProperty('consents');
    expect(res.body).toHaveProperty('tasks');
    expect(res.body).toHaveProperty('interventions');
    await t.http().get(`/api/v1/subjects/${w.b.subjectId}/export`).set(dpo).set('X-Purpose', 'x').expect(404);
    const trail = await t.http().get(`/api/v1/audit-log?subjectId=${subjectId}&action=subject.export`).set(dpo).expect(200);
    expect(trail.body.items[0]).toMatchObject({ actorRole: 'dpo', purpose: 'permintaan akses orang tua' });
  });

  it('a restricted subject vanishes from every view but a DPO\'s or an admin\'s, and is not processed; it can be lifted', async () => {
    await t.http().post(`/api/v1/subjects/${subjectId}/restriction`).set(cm).send({ reason: 'x' }).expect(403);
    await t.http().post(`/api/v1/subjects/${subjectId}/restriction`).set(dpo).send({}).expect(400);
    const r = await t.http().post(`/api/v1/subjects/${subjectId}/restriction`).set(dpo).send({ reason: 'Permintaan orang tua 3/XI/2026' }).expect(200);
    expect(r.body.restricted).toBe(true);

    await t.http().get(`/api/v1/subjects/${subjectId}`).set(cm).expect(404);
    expect((await t.http().get('/api/v1/subjects?q=nadia').set(cm).expect(200)).body.items).toEqual([]);
    expect((await t.http().get(`/api/v1/subjects?nik=${nik}`).set(cm).set('X-Purpose', 'cek').expect(200)).body.items).toEqual([]);
    await t.http().post(`/api/v1/subjects/${subjectId}/measurements`).set(cm).send({ measuredAt: '2026-11-22', heightCm: 83, method: 'standing' }).expect(404);
    await t.http().patch(`/api/v1/subjects/${subjectId}`).set(cm).send({ address: 'x' }).expect(404);
    expect((await t.http().get(`/api/v1/cases/${caseId}`).set(cm).expect(200)).body.subject).toBeNull();
    const offers = await t.http().get('/api/v1/offers').set(bearer(w.a.tokens.csr_partner)).expect(200);
    expect(offers.body.items.every((o: { beneficiary: unknown }) => o.beneficiary === null)).toBe(true);
    expect(JSON.stringify(offers.body)).not.toContain('Nadia');

    expect((await t.http().get(`/api/v1/subjects/${subjectId}`).set(dpo).expect(200)).body).toMatchObject({ name: 'Nadia Restu', restricted: true });
    expect((await t.http().get(`/api/v1/subjects/${subjectId}`).set(bearer(w.a.tokens.admin)).expect(200)).body.restricted).toBe(true);

    // An e-PPGBM row about her is reported, not taken.
    const csv = Buffer.from(
      `NIK Anak,Nama Anak,Tanggal Lahir,JK,Nama Ortu,Alamat,Desa,Posyandu,Tanggal Ukur,Berat,Tinggi,Cara Ukur\n` +
        `${nik},Nadia Restu,01/03/2024,P,Ibu Restu,Jl. Mawar,${REGENCY_A.village},Melati,22/11/2026,10,83,berdiri\n`,
    );
    const job = await importFile(t, cm, csv);
    expect(job).toMatchObject({ status: 'done', rowsTaken: 0, rowsRejected: 1, rejections: [{ row: 2, field: 'nik', reason: expect.stringContaining('restricted') }] });
    expect((await t.sql(`SELECT count(*)::int AS n FROM measurements WHERE subject_id = $1`, [subjectId]))[0]).toEqual({ n: 1 });

    await t.http().delete(`/api/v1/subjects/${subjectId}/restriction`).set(dpo).expect(200);
    expect((await t.http().get(`/api/v1/subjects/${subjectId}`).set(cm).expect(200)).body.restricted).toBe(false);
  });

  it('retention anonymises finished records past the period, keeps aggregates, and logs what it did', async () => {
    // A second child whose case is closed, and the first, whose case stays open.
    const s = await t
      .http()
      .post('/api/v1/subjects')
      .set(cm)
      .send({ targetGroup: 'BALITA', name: 'Bayu Lama', sex: 'M', birthDate: '2023-06-15', nik: nikFor(REGENCY_A.district, '150623'), address: 'Jl. Mawar 1', villageCode: REGENCY_A.village })
      .expect(201);
    const c = await t.http().post('/api/v1/cases').set(cm).send({ subjectId: s.body.id, identifiedAt: '2026-11-01', source: 'manual' }).expect(201);
    await t.http().post(`/api/v1/cases/${c.body.id}/events`).set(cm).set('If-Match', '"1"').send({ type: 'CLOSE', reason: 'moved_away', note: 'Pindah ke rumah nenek Bayu di Garut' }).expect(200);

    const retention = t.app.get(RetentionService);
    expect(await retention.run()).toEqual({ anonymised: 0, historyEntriesStripped: 0 });
    // Fifteen years on: five since his fifth birthday have long passed.
    t.clock.set(new Date(T0.getTime() + 15 * 365 * 86_400_000));
    const done = await retention.run();
    expect(done.anonymised).toBeGreaterThanOrEqual(1);
    const [row] = await t.sql<Record<string, unknown>>(
      `SELECT name, nik_hash, nik_enc, address, birth_date::text AS birth, target_group, sex, village_code, anonymised_at FROM subjects WHERE id = $1`,
      [s.body.id],
    );
    expect(row).toMatchObject({ nik_hash: null, nik_enc: null, address: null, birth: '2023-06-01', target_group: 'BALITA', sex: 'M', village_code: REGENCY_A.village });
    expect(row.name).toMatch(/^Anonim /);
    const history = await t.sql<{ payload: Record<string, unknown> }>(`SELECT payload FROM case_history WHERE case_id = $1 ORDER BY seq`, [c.body.id]);
    expect(JSON.stringify(history)).not.toContain('Garut');
    expect(history[1].payload).toMatchObject({ reason: 'moved_away' });
    await checkEveryCaseReplays(t);
    // The open case's child is kept.
    expect((await t.sql(`SELECT 1 FROM subjects WHERE id = $1 AND anonymised_at IS NULL`, [subjectId])).length).toBe(1);
    await t.app.get(AuditService).flush();
    const logged = await t.sql<{ details: { subjectIds: string[] } }>(`SELECT details FROM audit_log WHERE action = 'retention.anonymise'`);
    expect(logged[0].details.subjectIds).toContain(s.body.id);
    expect(await retention.run()).toEqual({ anonymised: 0, historyEntriesStripped: 0 });
    await expect(t.sql(`UPDATE case_history SET payload = '{}' WHERE case_id = $1`, [c.body.id])).rejects.toThrow(/append-only/);
  });
});
