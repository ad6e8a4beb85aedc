import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres, stopEmbeddedPostgres } from '../../src/database/embedded-postgres.js';
import { ADMIN, createTestApp, login } from '../support/test-app.js';
import { bearer, nikFor, REGENCY_A } from '../support/world.js';

describe('embedded PostgreSQL (PGlite) on disk', () => {
  it('keeps data, sessions and readable NIKs across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tuntas-data-'));
    try {
      const first = await createTestApp({ DATA_DIR: dir });
      const token = await login(first, ADMIN.username, ADMIN.password);
      await first.http().post('/api/v1/opds').set(bearer(token)).send({ regencyCode: '3216', code: 'DINKES', name: 'Dinkes' }).expect(201);
      const cm = await first
        .http()
        .post('/api/v1/users')
        .set(bearer(token))
        .send({ username: 'cm.persist', password: 'cm-persist-password', displayName: 'CM', role: 'case_manager', regencyCode: '3216' })
        .expect(201);
      const cmToken = await login(first, 'cm.persist', 'cm-persist-password');
      const nik = nikFor(REGENCY_A.district);
      const subject = await first
        .http()
        .post('/api/v1/subjects')
        .set(bearer(cmToken))
        .send({ targetGroup: 'BALITA', name: 'Tetap', sex: 'F', birthDate: '2024-03-01', nik, villageCode: REGENCY_A.village })
        .expect(201);
      await first.close();

      const second = await createTestApp({ DATA_DIR: dir });
      try {
        const again = await second.http().get(`/api/v1/subjects/${subject.body.id}`).set(bearer(cmToken)).expect(200);
        expect(again.body.nik).toBe(subject.body.nik);
        const found = await second.http().get(`/api/v1/subjects?nik=${nik}`).set(bearer(cmToken)).set('X-Purpose', 'cek').expect(200);
        expect(found.body.items.map((s: { id: string }) => s.id)).toEqual([subject.body.id]);
        const me = await second.http().get('/api/v1/users/me').set(bearer(cmToken)).expect(200);
        expect(me.body.id).toBe(cm.body.id);
        const admins = await second.sql<{ n: string }>(`SELECT count(*)::int AS n FROM users WHERE role = 'admin'`);
        expect(admins[0].n).toBe(1);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a data directory held by another live process, and takes over a stale lock', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tuntas-lock-'));
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      writeFileSync(join(dir, '.tuntas.lock'), String(holder.pid));
      await expect(startEmbeddedPostgres(dir)).rejects.toThrow(/in use by another Tuntas process \(pid \d+\)/);
      holder.kill('SIGKILL');
      await new Promise((r) => holder.once('exit', r));
      const db = await startEmbeddedPostgres(dir);
      expect(db.extra).toBeDefined();
      await stopEmbeddedPostgres();
    } finally {
      holder.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
