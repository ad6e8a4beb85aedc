import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN, createTestApp, login, type TestApp } from '../support/test-app.js';
import { bearer, createUser } from '../support/world.js';

/** Retries `check` for up to 3 s: notifications between replicas arrive asynchronously. */
async function eventually(check: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 60; i++) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

// Two replicas need a server database they both reach; PGlite is one process.
(process.env.TEST_DATABASE_URL ? describe : describe.skip)('token checks across two replicas (PostgreSQL)', () => {
  let one: TestApp;
  let two: TestApp;
  beforeAll(async () => {
    one = await createTestApp();
    two = await createTestApp(one.env);
  });
  afterAll(async () => {
    await two?.close();
    await one?.close();
  });

  it('disabling a user on one replica ends their token on the other', async () => {
    const admin = await login(one, ADMIN.username, ADMIN.password);
    const u = await createUser(one, admin, { username: 'replica.user', role: 'viewer', regencyCode: '3216' });
    const token = await login(two, 'replica.user', u.password);
    await two.http().get('/api/v1/users/me').set(bearer(token)).expect(200); // now cached on two
    await one.http().patch(`/api/v1/users/${u.id}`).set(bearer(admin)).send({ active: false }).expect(200);
    expect(await eventually(async () => (await two.http().get('/api/v1/users/me').set(bearer(token))).status === 401)).toBe(true);
  });

  it('while its listener is down a replica checks every token against the database', async () => {
    const admin = await login(one, ADMIN.username, ADMIN.password);
    const u = await createUser(one, admin, { username: 'quiet.user', role: 'viewer', regencyCode: '3216' });
    const token = await login(two, 'quiet.user', u.password);
    await two.http().get('/api/v1/users/me').set(bearer(token)).expect(200);
    await one.sql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN tuntas_user_changed%'`);
    // A change behind the service's back: no notification at all.
    await new Promise((r) => setTimeout(r, 300));
    await one.sql('UPDATE users SET active = false WHERE id = $1', [u.id]);
    expect(await eventually(async () => (await two.http().get('/api/v1/users/me').set(bearer(token))).status === 401)).toBe(true);
  });
});
