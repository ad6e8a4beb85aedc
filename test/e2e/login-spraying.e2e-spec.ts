import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { ADMIN, createTestApp, login, type TestApp } from '../support/test-app.js';
import { bearer, createUser } from '../support/world.js';

// Two instances of the service on one database server, as two replicas behind a proxy: the login
// limiter's counters are in the database, so both count the same attempts. The embedded database
// belongs to one process (its data directory is locked), so there the two are one instance and
// the same checks run against it.
let one: TestApp;
let two: TestApp;
const users: { username: string; password: string }[] = [];
const CEILING = 6;

const attempt = (app: TestApp, from: string, username: string, password: string) =>
  app.http().post('/api/v1/auth/login').set('X-Forwarded-For', from).send({ username, password });

beforeAll(async () => {
  const env = { TRUST_PROXY: 'true', LOGIN_RATE_LIMIT: '5', LOGIN_ADDRESS_FAILURE_LIMIT: String(CEILING) };
  one = await createTestApp(env);
  // The second instance boots on the first one's database.
  two = one.dbMode === 'server' ? await createTestApp({ ...one.env, ...env }) : one;
  const admin = await login(one, ADMIN.username, ADMIN.password);
  for (let i = 0; i < 10; i++) {
    const username = `kader.${i}`;
    users.push({ username, password: (await createUser(one, admin, { username, role: 'viewer', regencyCode: '3216' })).password });
  }
});
afterAll(async () => {
  if (two !== one) await two?.close({ keepDatabase: true });
  await one?.close();
});

it('one password tried on many accounts from one address meets a ceiling, counted across both instances', async () => {
  const sprayer = '203.0.113.7';
  const statuses: number[] = [];
  // One guess per account, alternating instances: the per-account limit (5) never bites.
  for (let i = 0; i < CEILING; i++) statuses.push((await attempt(i % 2 ? two : one, sprayer, users[i].username, 'Jakarta2026!')).status);
  expect(statuses).toEqual(Array(CEILING).fill(401));
  // Past the ceiling every login from that address is refused, on either instance, even a right password.
  for (const app of [one, two]) {
    const res = await attempt(app, sprayer, users[8].username, users[8].password);
    expect([res.status, res.body.error]).toEqual([429, 'RATE_LIMITED']);
    expect(res.body.details.retryAfterSeconds).toBeGreaterThan(0);
  }
  // Another address is not affected.
  const elsewhere = await attempt(two, '198.51.100.20', users[8].username, users[8].password);
  expect(elsewhere.status).toBe(200);
});

it('a successful login does not reset the address count', async () => {
  const office = '192.0.2.44';
  for (let i = 0; i < CEILING - 1; i++) await attempt(one, office, users[i].username, 'salah-tebak-sandi').expect(401);
  await attempt(two, office, users[9].username, users[9].password).expect(200);
  await attempt(two, office, users[0].username, 'salah-tebak-sandi').expect(401);
  await attempt(one, office, users[9].username, users[9].password).expect(429);
});

it('the per-account limit is shared too, and the table holds no address or username in clear', async () => {
  const from = '192.0.2.99';
  const codes: number[] = [];
  for (let i = 0; i < 6; i++) codes.push((await attempt(i % 2 ? two : one, from, users[3].username, i < 5 ? 'bukan-sandinya' : users[3].password)).status);
  // Five attempts per address and account: the sixth, though right, waits; the address ceiling (6 failures) was not reached.
  expect(codes).toEqual([401, 401, 401, 401, 401, 429]);
  const rows = await one.sql<{ key: string }>('SELECT key FROM rate_limits');
  expect(rows.length).toBeGreaterThan(0);
  for (const { key } of rows) expect(key).not.toMatch(/kader|192\.0\.2|203\.0\.113/);
  await one.http().get('/api/v1/users/me').set(bearer(await login(one, users[5].username, users[5].password))).expect(200);
});
