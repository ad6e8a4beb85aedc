import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN, createTestApp, login, type TestApp } from '../support/test-app.js';
import { bearer, buildWorld, createUser, type World } from '../support/world.js';

describe('user administration', () => {
  let t: TestApp;
  let w: World;

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildWorld(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('filters by role and active, and pages by username', async () => {
    const admin = bearer(w.a.tokens.admin);
    const off = await createUser(t, w.nationalToken, { username: 'retired.a', role: 'viewer', regencyCode: '3216' });
    await t.http().patch(`/api/v1/users/${off.id}`).set(admin).send({ active: false }).expect(200);
    const inactive = await t.http().get('/api/v1/users?active=false').set(admin).expect(200);
    expect(inactive.body.items.map((u: { username: string }) => u.username)).toEqual(['retired.a']);
    const viewers = await t.http().get('/api/v1/users?role=viewer&active=true').set(admin).expect(200);
    expect(viewers.body.items.map((u: { username: string }) => u.username).sort()).toEqual(['target.a', 'viewer.a']);
    const page1 = await t.http().get('/api/v1/users?limit=3').set(admin).expect(200);
    const page2 = await t.http().get(`/api/v1/users?limit=3&cursor=${page1.body.nextCursor}`).set(admin).expect(200);
    const names = [...page1.body.items, ...page2.body.items].map((u: { username: string }) => u.username);
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(6);
  });

  it('a regional admin cannot see the national admin nor make one', async () => {
    const admin = bearer(w.a.tokens.admin);
    const all = await t.http().get('/api/v1/users?limit=200').set(admin).expect(200);
    expect(all.body.items.some((u: { username: string }) => u.username === ADMIN.username)).toBe(false);
    const created = await t
      .http()
      .post('/api/v1/users')
      .set(admin)
      .send({ username: 'second.admin.a', password: 'a-long-password', displayName: 'A2', role: 'admin' })
      .expect(201);
    expect(created.body.regencyCode).toBe('3216');
    await t.http().patch(`/api/v1/users/${created.body.id}`).set(admin).send({ regencyCode: null }).expect(200);
    const after = await t.http().get(`/api/v1/users/${created.body.id}`).set(admin).expect(200);
    expect(after.body.regencyCode).toBe('3216');
  });

  it('changing a role drops the old binding and ends sessions; a new password ends them too', async () => {
    const nat = bearer(w.nationalToken);
    const liaison = await createUser(t, w.nationalToken, { username: 'moving.a', role: 'opd_liaison', regencyCode: '3216', opdId: w.a.opdId });
    const token = await login(t, 'moving.a', liaison.password);
    const moved = await t.http().patch(`/api/v1/users/${liaison.id}`).set(nat).send({ role: 'case_manager' }).expect(200);
    expect(moved.body).toMatchObject({ role: 'case_manager', opdId: null });
    await t.http().get('/api/v1/users/me').set(bearer(token)).expect(401);
    const token2 = await login(t, 'moving.a', liaison.password);
    await t.http().patch(`/api/v1/users/${liaison.id}`).set(nat).send({ password: 'a-brand-new-password' }).expect(200);
    await t.http().get('/api/v1/users/me').set(bearer(token2)).expect(401);
    await t.http().post('/api/v1/auth/login').send({ username: 'moving.a', password: liaison.password }).expect(401);
    const token3 = await login(t, 'moving.a', 'a-brand-new-password');
    const me = await t.http().get('/api/v1/users/me').set(bearer(token3)).expect(200);
    expect(me.body).toMatchObject({ username: 'moving.a', role: 'case_manager', regencyCode: '3216' });
    expect(me.body.password).toBeUndefined();
    expect(JSON.stringify(me.body)).not.toMatch(/argon2|passwordHash|tokenVersion/);
  });

  it('an OPD head must be an active user of the OPD regency', async () => {
    const nat = bearer(w.nationalToken);
    await t.http().patch(`/api/v1/opds/${w.a.opdId}`).set(nat).send({ headUserId: w.a.userIds.opd_liaison }).expect(200);
    const bad = await t.http().patch(`/api/v1/opds/${w.a.opdId}`).set(nat).send({ headUserId: w.b.userIds.opd_liaison });
    expect(bad.status).toBe(400);
    const cleared = await t.http().patch(`/api/v1/opds/${w.a.opdId}`).set(nat).send({ headUserId: null }).expect(200);
    expect(cleared.body.headUserId).toBeNull();
    const seeded = await t.http().post('/api/v1/opds/seed').set(bearer(w.a.tokens.admin)).send({}).expect(200);
    expect(seeded.body.created).toBe(8); // DINKES existed already
    expect(seeded.body.items.map((o: { code: string }) => o.code)).toEqual(expect.arrayContaining(['DINKES', 'DP2KB', 'PUPR', 'DKP']));
    const again = await t.http().post('/api/v1/opds/seed').set(bearer(w.a.tokens.admin)).send({}).expect(200);
    expect(again.body.created).toBe(0);
  });
});
