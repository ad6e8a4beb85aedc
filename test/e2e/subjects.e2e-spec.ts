import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { bearer, buildWorld, nikFor, REGENCY_A, REGENCY_B, type World } from '../support/world.js';

describe('subjects: NIK protection, duplicates, search', () => {
  let t: TestApp;
  let w: World;
  let cm: Record<string, string>;
  const child = (over: Record<string, unknown> = {}) => ({
    targetGroup: 'BALITA',
    name: 'Budi Santoso',
    sex: 'M',
    birthDate: '2023-05-10',
    villageCode: REGENCY_A.village,
    ...over,
  });

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildWorld(t);
    cm = bearer(w.a.tokens.case_manager);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('stores NIK and KK only encrypted and hashed: no table holds them in clear, no log line either', async () => {
    const nik = nikFor(REGENCY_A.district, '100523');
    const kk = '3216061234567890';
    const res = await t.http().post('/api/v1/subjects').set(cm).send(child({ nik, familyCardNumber: kk, motherName: 'Siti Aminah' }));
    expect(res.status).toBe(201);
    expect(res.body.nik).toBe(`${nik.slice(0, 4)}********${nik.slice(-4)}`);
    expect(res.body.familyCardNumber).toBe('3216********7890');
    await t.http().get(`/api/v1/subjects?nik=${nik}`).set(cm).set('X-Purpose', 'cek duplikat').expect(200);
    await t.http().get(`/api/v1/subjects/${res.body.id}`).set(cm).expect(200);

    const tables = await t.sql<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    expect(tables.length).toBeGreaterThan(4);
    for (const { table_name } of tables) {
      const rows = await t.sql(`SELECT * FROM "${table_name}"`);
      const dump = JSON.stringify(rows, (_, v) => (v && v.type === 'Buffer' ? Buffer.from(v.data).toString('latin1') : v));
      expect([table_name, dump.includes(nik), dump.includes(kk)]).toEqual([table_name, false, false]);
    }
    const raw = await t.sql<{ nik_enc: Buffer; nik_hash: Buffer }>('SELECT nik_enc, nik_hash FROM subjects WHERE id = $1', [res.body.id]);
    expect(Buffer.isBuffer(raw[0].nik_enc) && raw[0].nik_hash.length === 32).toBe(true);

    const logs = t.logs.join('');
    expect(t.logs.length).toBeGreaterThan(5);
    expect(logs.includes(nik)).toBe(false);
    expect(logs.includes(kk)).toBe(false);
    expect(logs.includes('Siti Aminah')).toBe(false);
    expect(logs).toContain('/api/v1/subjects?nik=_');
  });

  it('finds a subject by exact NIK, only within the caller regency', async () => {
    const nik = nikFor(REGENCY_A.district, '010224');
    const created = await t.http().post('/api/v1/subjects').set(cm).send(child({ nik, name: 'Citra' })).expect(201);
    const refused = await t.http().get(`/api/v1/subjects?nik=${nik}`).set(cm).expect(400);
    expect(refused.body.details.fields).toEqual([{ field: 'X-Purpose', reason: expect.stringContaining('say why') }]);
    const found = await t.http().get(`/api/v1/subjects?nik=${nik}`).set(cm).set('X-Purpose', 'cek duplikat').expect(200);
    expect(found.body).toEqual({ items: [expect.objectContaining({ id: created.body.id })], nextCursor: null });
    const fromB = await t.http().get(`/api/v1/subjects?nik=${nik}`).set(bearer(w.b.tokens.case_manager)).set('X-Purpose', 'cek duplikat').expect(200);
    expect(fromB.body.items).toEqual([]);
  });

  it('refuses a second subject with the same NIK in the regency with 409 naming the first', async () => {
    const nik = nikFor(REGENCY_A.district, '020224');
    const first = await t.http().post('/api/v1/subjects').set(cm).send(child({ nik, name: 'Dewi' })).expect(201);
    const before = await t.sql<{ n: string }>('SELECT count(*) AS n FROM subjects');
    const second = await t.http().post('/api/v1/subjects').set(cm).send(child({ nik, name: 'Dewi Lagi' }));
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ error: 'DUPLICATE_SUBJECT', details: { existingSubjectId: first.body.id } });
    expect(await t.sql('SELECT count(*) AS n FROM subjects')).toEqual(before);
    // The same NIK may exist in another regency (a family that moved); uniqueness holds per regency.
    await t
      .http()
      .post('/api/v1/subjects')
      .set(bearer(w.b.tokens.case_manager))
      .send(child({ nik, name: 'Dewi', villageCode: REGENCY_B.village }))
      .expect(201);
  });

  it('two concurrent registrations of the same NIK: exactly one wins', async () => {
    const nik = nikFor(REGENCY_A.district, '030224');
    const results = await Promise.all(
      Array.from({ length: 4 }, () => t.http().post('/api/v1/subjects').set(cm).send(child({ nik, name: 'Eka' }))),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    const winner = results.find((r) => r.status === 201)!.body.id;
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.details.existingSubjectId).toBe(winner);
  });

  it('a PATCH that takes an existing NIK is refused; If-Match guards concurrent edits', async () => {
    const nik = nikFor(REGENCY_A.district, '040224');
    const a = await t.http().post('/api/v1/subjects').set(cm).send(child({ nik, name: 'Fajar' })).expect(201);
    const b = await t.http().post('/api/v1/subjects').set(cm).send(child({ name: 'Gita' })).expect(201);
    const taken = await t.http().patch(`/api/v1/subjects/${b.body.id}`).set(cm).send({ nik });
    expect(taken.status).toBe(409);
    expect(taken.body.details.existingSubjectId).toBe(a.body.id);

    const v1 = await t.http().patch(`/api/v1/subjects/${b.body.id}`).set(cm).set('If-Match', '"1"').send({ posyandu: 'Melati' });
    expect(v1.status).toBe(200);
    expect(v1.body.version).toBe(2);
    const stale = await t.http().patch(`/api/v1/subjects/${b.body.id}`).set(cm).set('If-Match', '"1"').send({ posyandu: 'Mawar' });
    expect(stale.status).toBe(409);
    expect(stale.body.details.currentVersion).toBe(2);
    const cleared = await t.http().patch(`/api/v1/subjects/${b.body.id}`).set(cm).send({ posyandu: null, nik: nikFor(REGENCY_A.district, '100523') });
    expect(cleared.body).toMatchObject({ posyandu: null, version: 3 });
    expect(cleared.body.nik).toMatch(/^3216\*{8}\d{4}$/);
  });

  it('searches by name prefix and village with keyset pages', async () => {
    for (const name of ['Hana Satu', 'Hana Dua', 'hana tiga', 'Hanafi', 'Indra']) {
      await t.http().post('/api/v1/subjects').set(cm).send(child({ name })).expect(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { name: string }[]; nextCursor: string | null } } = await t
        .http()
        .get('/api/v1/subjects')
        .query({ q: 'HANA', limit: 2, ...(cursor ? { cursor } : {}) })
        .set(cm)
        .expect(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((s: { name: string }) => s.name));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Hana Dua', 'Hana Satu', 'hana tiga', 'Hanafi']);
    const like = await t.http().get('/api/v1/subjects').query({ q: '%' }).set(cm).expect(200);
    expect(like.body.items).toEqual([]);
    const capped = await t.http().get('/api/v1/subjects').query({ limit: 5000 }).set(cm).expect(200);
    expect(capped.body.items.length).toBeLessThanOrEqual(200);
    await t.http().get('/api/v1/subjects').query({ cursor: 'bm9wZQ' }).set(cm).expect(400);
  });

  it('checks target groups against sex and age', async () => {
    const bad = await t.http().post('/api/v1/subjects').set(cm).send(child({ targetGroup: 'IBU_HAMIL', sex: 'M' }));
    expect(bad.status).toBe(400);
    const fields = bad.body.details.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['sex', 'birthDate']));
    const old = await t.http().post('/api/v1/subjects').set(cm).send(child({ targetGroup: 'BADUTA', birthDate: '2023-01-01' }));
    expect(old.body.details.fields).toEqual([{ field: 'birthDate', reason: 'a BADUTA subject must be under 24 months old' }]);
    const future = await t.http().post('/api/v1/subjects').set(cm).send(child({ birthDate: '2026-12-30' }));
    expect(future.body.details.fields[0]).toEqual({ field: 'birthDate', reason: 'is in the future' });
    await t
      .http()
      .post('/api/v1/subjects')
      .set(cm)
      .send(child({ targetGroup: 'IBU_HAMIL', sex: 'F', name: 'Ibu Rina', birthDate: '1998-02-03' }))
      .expect(201);
  });
});
