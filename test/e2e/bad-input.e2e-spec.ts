import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN, createTestApp, type TestApp } from '../support/test-app.js';
import { bearer, buildWorld, passwordOf, nikFor, REGENCY_A, type World } from '../support/world.js';

describe('bad input: a clear 4xx naming the problem, and nothing written', () => {
  let t: TestApp;
  let w: World;
  let cm: Record<string, string>;
  let admin: Record<string, string>;
  const child = (over: Record<string, unknown> = {}) => ({
    targetGroup: 'BALITA',
    name: 'Joko',
    sex: 'M',
    birthDate: '2023-05-10',
    villageCode: REGENCY_A.village,
    ...over,
  });
  const counts = async () =>
    t.sql(`SELECT (SELECT count(*) FROM subjects) s, (SELECT count(*) FROM users) u, (SELECT count(*) FROM opds) o,
                  (SELECT count(*) FROM sponsors) p, (SELECT count(*) FROM sponsor_regencies) r`);

  /** Sends, checks status, error code and the fields named, and that no row count moved. */
  async function refused(
    req: () => PromiseLike<{ status: number; body: { error: string; message: string; details: { fields?: { field: string }[] } }; text: string }>,
    status: number,
    error: string,
    fields: string[] = [],
  ) {
    const before = await counts();
    const res = await req();
    expect([res.status, res.body.error]).toEqual([status, error]);
    expect(typeof res.body.message).toBe('string');
    for (const f of fields) expect(res.body.details.fields?.map((x) => x.field)).toContain(f);
    expect(res.text).not.toMatch(/\s+at\s+\S+\s*\(|\.ts:\d+|node_modules/);
    expect(await counts()).toEqual(before);
    return res;
  }

  beforeAll(async () => {
    t = await createTestApp({ BODY_LIMIT_BYTES: '10240', LOGIN_RATE_LIMIT: '5' });
    w = await buildWorld(t);
    cm = bearer(w.a.tokens.case_manager);
    admin = bearer(w.a.tokens.admin);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('unknown fields are refused, including ones that would set server-owned columns', async () => {
    for (const extra of ['regencyCode', 'id', 'createdBy', 'version', 'nikHash']) {
      await refused(() => t.http().post('/api/v1/subjects').set(cm).send(child({ [extra]: 'x' })), 400, 'VALIDATION_FAILED', [extra]);
    }
    await refused(
      () => t.http().post('/api/v1/users').set(admin).send({ username: 'mallory', password: 'long-password-1', displayName: 'M', role: 'viewer', active: false, tokenVersion: 5 }),
      400,
      'VALIDATION_FAILED',
      ['active', 'tokenVersion'],
    );
    await refused(() => t.http().get('/api/v1/subjects?sort=name').set(cm), 400, 'VALIDATION_FAILED', ['sort']);
  });

  it('wrong types name each field', async () => {
    await refused(
      () => t.http().post('/api/v1/subjects').set(cm).send(child({ name: 123, sex: true, birthDate: 20230510, villageCode: 3216062005, targetGroup: ['BALITA'] })),
      400,
      'VALIDATION_FAILED',
      ['name', 'sex', 'birthDate', 'villageCode', 'targetGroup'],
    );
    await refused(() => t.http().post('/api/v1/subjects').set(cm).send(child({ name: { $gt: '' } })), 400, 'VALIDATION_FAILED', ['name']);
    await refused(() => t.http().post('/api/v1/subjects').set(cm).send(child({ birthDate: '2023-02-30' })), 400, 'VALIDATION_FAILED', ['birthDate']);
    await refused(() => t.http().post('/api/v1/subjects').set(cm).send(child({ name: 'x'.repeat(201) })), 400, 'VALIDATION_FAILED', ['name']);
    await refused(() => t.http().post('/api/v1/subjects').set(cm).send([child()]), 400, 'VALIDATION_FAILED');
    await refused(() => t.http().get('/api/v1/subjects?limit=abc').set(cm), 400, 'VALIDATION_FAILED', ['limit']);
    await refused(() => t.http().get('/api/v1/subjects?limit=-1').set(cm), 400, 'VALIDATION_FAILED', ['limit']);
    await refused(() => t.http().get('/api/v1/subjects/not-a-uuid').set(cm), 400, 'VALIDATION_FAILED', ['id']);
    await refused(() => t.http().patch(`/api/v1/users/${w.a.targetUserId}`).set(admin).send({ active: 'no' }), 400, 'VALIDATION_FAILED', ['active']);
    await refused(() => t.http().post('/api/v1/sponsors').set(admin).send({ name: 'PT X', type: 'mafia', regencyCodes: '3216' }), 400, 'VALIDATION_FAILED', ['type', 'regencyCodes']);
  });

  it('an invalid NIK is refused with the reason', async () => {
    const cases: [string, string][] = [
      ['12345', 'must be exactly 16 digits'],
      ['99999941012000021', 'must be exactly 16 digits'],
      ['9999994101200002', 'kecamatan'],
      [`${REGENCY_A.district}9913200002`, 'birth date'],
      [`${REGENCY_A.district}4101200000`, 'serial'],
    ];
    for (const [nik, reason] of cases) {
      const res = await refused(() => t.http().post('/api/v1/subjects').set(cm).send(child({ nik })), 400, 'VALIDATION_FAILED', ['nik']);
      expect(res.body.message).toContain(reason);
      expect(res.text).not.toContain(nik);
    }
    await refused(() => t.http().post('/api/v1/subjects').set(cm).send(child({ nik: 3216064101200002 })), 400, 'VALIDATION_FAILED', ['nik']);
    await refused(() => t.http().get('/api/v1/subjects?nik=123').set(cm).set('X-Purpose', 'cek'), 400, 'VALIDATION_FAILED', ['nik']);
    await refused(() => t.http().post('/api/v1/subjects').set(cm).send(child({ familyCardNumber: '12' })), 400, 'VALIDATION_FAILED', ['familyCardNumber']);
  });

  it('a region code that does not exist is refused', async () => {
    await refused(() => t.http().post('/api/v1/subjects').set(cm).send(child({ villageCode: '3216069999' })), 400, 'VALIDATION_FAILED', ['villageCode']);
    await refused(() => t.http().post('/api/v1/subjects').set(cm).send(child({ villageCode: '32160620' })), 400, 'VALIDATION_FAILED', ['villageCode']);
    const national = bearer(w.nationalToken);
    await refused(() => t.http().post('/api/v1/opds').set(national).send({ regencyCode: '3299', code: 'DINKES', name: 'X' }), 400, 'VALIDATION_FAILED', ['regencyCode']);
    await refused(() => t.http().post('/api/v1/sponsors').set(national).send({ name: 'PT X', type: 'company', regencyCodes: ['3216', '9999'] }), 400, 'VALIDATION_FAILED', ['regencyCodes.1']);
    await refused(() => t.http().get('/api/v1/regions?parent=9999').set(cm), 404, 'NOT_FOUND');
    const villages = await t.http().get('/api/v1/regions?parent=321606').set(cm).expect(200);
    expect(villages.body.items).toContainEqual({ code: '3216062005', name: 'Setiadarma', level: 'village', parentCode: '321606' });
  });

  it('malformed JSON gets 400, an oversized body 413, and neither writes', async () => {
    await refused(
      () => t.http().post('/api/v1/subjects').set(cm).set('Content-Type', 'application/json').send('{"name": "Joko",'),
      400,
      'MALFORMED_JSON',
    );
    await refused(
      () => t.http().post('/api/v1/subjects').set(cm).send(child({ address: 'x'.repeat(20_000) })),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    await refused(() => t.http().post('/api/v1/subjects').set(cm).set('Content-Type', 'text/plain').send('hello'), 400, 'VALIDATION_FAILED');
    await refused(() => t.http().post('/api/v1/auth/login').set('Content-Type', 'application/json').send('nul'), 400, 'MALFORMED_JSON');
  });

  it('unknown routes and methods get a JSON 404', async () => {
    await refused(() => t.http().get('/api/v1/nope').set(cm), 404, 'NOT_FOUND');
    await refused(() => t.http().delete(`/api/v1/subjects/${w.a.subjectId}`).set(cm), 404, 'NOT_FOUND');
  });

  it('user bindings are checked: an OPD liaison needs an OPD of its regency, a CSR partner a sponsor funding it', async () => {
    const nat = bearer(w.nationalToken);
    const user = { password: 'a-long-password', displayName: 'X' };
    await refused(() => t.http().post('/api/v1/users').set(nat).send({ ...user, username: 'xuser1', role: 'opd_liaison', regencyCode: '3216' }), 400, 'VALIDATION_FAILED', ['opdCode']);
    await refused(() => t.http().post('/api/v1/users').set(nat).send({ ...user, username: 'xuser2', role: 'opd_liaison', regencyCode: '3216', opdId: w.b.opdId }), 400, 'VALIDATION_FAILED', ['opdId']);
    await refused(() => t.http().post('/api/v1/users').set(nat).send({ ...user, username: 'xuser3', role: 'csr_partner', regencyCode: '3216', sponsorId: w.b.sponsorId }), 400, 'VALIDATION_FAILED', ['sponsorId']);
    await refused(() => t.http().post('/api/v1/users').set(nat).send({ ...user, username: 'xuser4', role: 'viewer', regencyCode: '3216', opdId: w.a.opdId }), 400, 'VALIDATION_FAILED', ['opdId']);
    await refused(() => t.http().post('/api/v1/users').set(nat).send({ ...user, username: 'xuser5', role: 'case_manager' }), 400, 'VALIDATION_FAILED', ['regencyCode']);
    await refused(() => t.http().post('/api/v1/users').set(nat).send({ ...user, username: 'xuser6', role: 'viewer', regencyCode: '3216', password: 'short' }), 400, 'VALIDATION_FAILED', ['password']);
    await refused(() => t.http().post('/api/v1/users').set(nat).send({ ...user, username: 'viewer.a', role: 'viewer', regencyCode: '3216' }), 409, 'CONFLICT');
    await refused(() => t.http().post('/api/v1/opds').set(nat).send({ regencyCode: '3216', code: 'DINKES', name: 'again' }), 409, 'CONFLICT');
    await refused(() => t.http().post('/api/v1/opds').set(nat).send({ regencyCode: '3216', code: 'NEW', name: 'X', headUserId: w.b.userIds.viewer }), 400, 'VALIDATION_FAILED', ['headUserId']);
    await refused(() => t.http().patch(`/api/v1/users/${w.a.userIds.admin}`).set(admin).send({ active: false }), 409, 'CONFLICT');
  });

  it('login: the same 401 for an unknown user and a wrong password, then 429 past the limit', async () => {
    const unknown = await t.http().post('/api/v1/auth/login').send({ username: 'nobody', password: 'whatever-password' });
    const wrong = await t.http().post('/api/v1/auth/login').send({ username: ADMIN.username, password: 'wrong-password' });
    expect([unknown.status, wrong.status]).toEqual([401, 401]);
    expect(unknown.body).toEqual(wrong.body);
    for (let i = 0; i < 5; i++) await t.http().post('/api/v1/auth/login').send({ username: 'casemanager.a', password: 'nope' }).expect(401);
    const limited = await t.http().post('/api/v1/auth/login').send({ username: 'casemanager.a', password: passwordOf('casemanager.a') });
    expect(limited.status).toBe(429);
    expect(limited.body.error).toBe('RATE_LIMITED');
    // Another username from the same client is not affected.
    await t.http().post('/api/v1/auth/login').send({ username: 'auditor.a', password: passwordOf('auditor.a') }).expect(200);
  });

  it('subjects of another regency cannot be written through a village code', async () => {
    await refused(
      () => t.http().post('/api/v1/subjects').set(cm).send(child({ villageCode: w.b.village, nik: nikFor('327301') })),
      403,
      'FORBIDDEN',
    );
  });
});
