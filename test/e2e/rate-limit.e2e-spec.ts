import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../support/test-app.js';

// Its own file: the embedded database is one per process, and this needs an app with a low limit.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '5' });
});
afterAll(async () => {
  await t?.close();
});

it('a flood from one client meets 429 with Retry-After; the health check is never limited', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 7; i++) statuses.push((await t.http().get('/api/v1/regions')).status);
  expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
  const res = await t.http().get('/api/v1/regions');
  expect(res.headers['retry-after']).toMatch(/^\d+$/);
  expect(res.body).toMatchObject({ error: 'RATE_LIMITED', details: { retryAfterSeconds: expect.any(Number) } });
  expect((await t.http().get('/health')).status).toBe(200);
});
