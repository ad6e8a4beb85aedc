import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN, createTestApp, login, type TestApp } from '../support/test-app.js';

describe('smoke', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('health, docs, login, OPD, subject', async () => {
    await t.http().get('/health').expect(200, { status: 'ok', database: 'up' });
    const docs = await t.http().get('/docs-json').expect(200);
    expect(docs.body.openapi).toMatch(/^3\./);
    const token = await login(t, ADMIN.username, ADMIN.password);
    const auth = { Authorization: `Bearer ${token}` };
    const opd = await t.http().post('/api/v1/opds').set(auth).send({ regencyCode: '3216', code: 'DINKES', name: 'Dinas Kesehatan' });
    expect(opd.status).toBe(201);
    const cm = await t.http().post('/api/v1/users').set(auth).send({ username: 'cm1', password: 'kunci-posyandu-1', displayName: 'CM', role: 'case_manager', regencyCode: '3216' });
    expect(cm.status).toBe(201);
    const cmToken = await login(t, 'cm1', 'kunci-posyandu-1');
    const s = await t.http().post('/api/v1/subjects').set({ Authorization: `Bearer ${cmToken}` }).send({
      targetGroup: 'BALITA', name: 'Aisyah', sex: 'F', birthDate: '2024-03-01', nik: '3216064103240002', villageCode: '3216062005',
    });
    expect(s.status).toBe(201);
    expect(s.body.nik).toBe('3216********0002');
  });
});
