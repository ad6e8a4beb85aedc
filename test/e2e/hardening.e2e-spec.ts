import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, login, type TestApp } from '../support/test-app.js';
import { bearer, buildWorld, passwordOf, REGENCY_A, type World } from '../support/world.js';

/** Security hardening (issue 14): caching, prototype keys, deceptive names, weak passwords. */
describe('hardening', () => {
  let t: TestApp;
  let w: World;
  let cm: Record<string, string>;
  let admin: Record<string, string>;
  const child = (over: Record<string, unknown> = {}) => ({ targetGroup: 'BALITA', name: 'Joko', sex: 'M', birthDate: '2023-05-10', villageCode: REGENCY_A.village, ...over });
  const subjects = async () => Number((await t.sql<{ n: string }>('SELECT count(*) AS n FROM subjects'))[0].n);
  const users = async () => Number((await t.sql<{ n: string }>('SELECT count(*) AS n FROM users'))[0].n);

  beforeAll(async () => {
    t = await createTestApp({ LOGIN_RATE_LIMIT: '1000' });
    w = await buildWorld(t);
    cm = bearer(w.a.tokens.case_manager);
    admin = bearer(w.a.tokens.admin);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('no answer of the API is cached', () => {
    it.each([
      ['a login token', () => t.http().post('/api/v1/auth/login').send({ username: 'casemanager.a', password: 'wrong-password-123' })],
      ['a subject record', () => t.http().get(`/api/v1/subjects/${w.a.subjectId}`).set(cm)],
      ['a list of cases', () => t.http().get('/api/v1/cases').set(cm)],
      ['a DPO export', () => t.http().get(`/api/v1/subjects/${w.a.subjectId}/export`).set(bearer(w.a.tokens.dpo)).set('X-Purpose', 'permintaan orang tua')],
      ['an error', () => t.http().get('/api/v1/subjects/not-a-uuid').set(cm)],
      ['no token', () => t.http().get('/api/v1/cases')],
      ['a malformed body', () => t.http().post('/api/v1/subjects').set(cm).set('Content-Type', 'application/json').send('{"name":')],
    ])('%s: Cache-Control no-store and Pragma no-cache', async (_, send) => {
      const res = await send();
      expect(res.status).toBeLessThan(500);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers.pragma).toBe('no-cache');
    });

    it('the login token itself carries no-store', async () => {
      const res = await t.http().post('/api/v1/auth/login').send({ username: 'casemanager.a', password: passwordOf('casemanager.a') }).expect(200);
      expect(res.body.accessToken).toEqual(expect.any(String));
      expect(res.headers['cache-control']).toBe('no-store');
    });
  });

  describe('prototype keys are refused like unknown fields', () => {
    // Written as text: an object literal's __proto__ would set the prototype, not send the key.
    const body = (extra: string) => JSON.stringify(child()).replace(/}$/, `,${extra}}`);
    it.each([
      ['__proto__ at the top', body('"__proto__":{"admin":true}'), '__proto__'],
      ['constructor at the top', body('"constructor":{"prototype":{"admin":true}}'), 'constructor'],
      ['__proto__ nested', body('"posyandu":{"__proto__":{"admin":true}}'), 'posyandu.__proto__'],
    ])('%s: 400 naming the key, nothing written', async (_, json, field) => {
      const before = await subjects();
      const res = await t.http().post('/api/v1/subjects').set(cm).set('Content-Type', 'application/json').send(json);
      expect([res.status, res.body.error]).toEqual([400, 'VALIDATION_FAILED']);
      expect(res.body.details.fields).toEqual([{ field, reason: `property ${field} should not exist` }]);
      expect(await subjects()).toBe(before);
      expect(({} as Record<string, unknown>).admin).toBeUndefined();
    });

    it('in a query string too', async () => {
      const res = await t.http().get('/api/v1/subjects?__proto__[admin]=1').set(cm);
      expect([res.status, res.body.error]).toEqual([400, 'VALIDATION_FAILED']);
    });
  });

  describe('names that would display as something else, or as nothing', () => {
    it.each([
      ['a right-to-left override', 'Budi\u202Egnaliw', 'must not contain bidirectional override characters'],
      ['a left-to-right isolate', '\u2066Siti\u2069 Aminah', 'must not contain bidirectional override characters'],
      ['only zero-width spaces', '\u200B\u200B\u200B', 'must contain a visible character'],
      ['only a word joiner and a Hangul filler', '\u2060\u3164', 'must contain a visible character'],
      ['only a byte order mark and a soft hyphen', '\uFEFF\u00AD', 'must contain a visible character'],
    ])('%s is refused', async (_, name, reason) => {
      const before = await subjects();
      const res = await t.http().post('/api/v1/subjects').set(cm).send(child({ name }));
      expect([res.status, res.body.error]).toEqual([400, 'VALIDATION_FAILED']);
      expect(res.body.details.fields).toContainEqual({ field: 'name', reason });
      expect(await subjects()).toBe(before);
    });

    it('ordinary names with marks and joiners still pass', async () => {
      for (const name of ['Nyoman Ayu Suéndri', 'Ni Luh Putu', "Ma'ruf Amin", 'Siti\u200DAisyah']) {
        await t.http().post('/api/v1/subjects').set(cm).send(child({ name })).expect(201);
      }
    });
  });

  describe('weak passwords are refused, and the reason names the field', () => {
    const user = (username: string, password: string) => ({ username, password, displayName: 'Petugas', role: 'viewer' });
    it.each([
      ['password12', 'is one of the most common passwords: choose another'],
      ['1234567890', 'must not be a plain sequence such as 1234567890 or abcdefghij'],
      ['aaaaaaaaaa', 'must not be one character repeated'],
      ['petugas.tpps', 'must not be the username'],
      ['petugas.tpps-2026', 'must not contain the username'],
      ['kunci\trahasia desa', 'must not contain control characters (tabs, line breaks and the like)'],
    ])('%j on creation', async (password, reason) => {
      const before = await users();
      const res = await t.http().post('/api/v1/users').set(admin).send(user('petugas.tpps', password));
      expect([res.status, res.body.error]).toEqual([400, 'VALIDATION_FAILED']);
      expect(res.body.details.fields).toEqual([{ field: 'password', reason }]);
      expect(await users()).toBe(before);
    });

    it('on a change of password too, against the stored username', async () => {
      const res = await t.http().patch(`/api/v1/users/${w.a.targetUserId}`).set(admin).send({ password: 'target.a-new-2026' });
      expect(res.status).toBe(400);
      expect(res.body.details.fields).toEqual([{ field: 'password', reason: 'must not contain the username' }]);
      await t.http().patch(`/api/v1/users/${w.a.targetUserId}`).set(admin).send({ password: 'qwertyuiop' }).expect(400);
      await t.http().patch(`/api/v1/users/${w.a.targetUserId}`).set(admin).send({ password: 'melati-di-setiadarma' }).expect(200);
      expect(await login(t, 'target.a', 'melati-di-setiadarma')).toEqual(expect.any(String));
    });

    it('a strong password is accepted', async () => {
      await t.http().post('/api/v1/users').set(admin).send(user('petugas.tpps', 'kenanga-di-cikarang-7')).expect(201);
    });
  });
});
