import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RequestMethod } from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { needsAudit } from '../../src/modules/audit/audit-binding.js';
import { AuditInterceptor } from '../../src/modules/audit/audit.interceptor.js';
import { verifyAuditChains } from '../../src/modules/audit/audit-verifier.js';
import { createTestApp, login, type TestApp } from '../support/test-app.js';
import { bearer, buildWorld, createUser, nikFor, REGENCY_A, type World } from '../support/world.js';

interface Entry {
  action: string;
  actorId: string | null;
  actorRole: string | null;
  subjectId: string | null;
  purpose: string | null;
  requestId: string | null;
  regencyCode: string;
  details: Record<string, unknown>;
}

/** Who saw what: every read of a child's data, every write and login, in a hash chain a DPO can query and anyone can verify. */
describe('audit trail', () => {
  let t: TestApp;
  let w: World;
  let cm: Record<string, string>;
  let dpo: Record<string, string>;
  let subjectId: string;

  const trail = async (query: string): Promise<Entry[]> => (await t.http().get(`/api/v1/audit-log?limit=200&${query}`).set(dpo).expect(200)).body.items;

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildWorld(t);
    cm = bearer(w.a.tokens.case_manager);
    dpo = bearer(w.a.tokens.dpo);
    const nik = nikFor(REGENCY_A.district);
    const s = await t
      .http()
      .post('/api/v1/subjects')
      .set(cm)
      .send({ targetGroup: 'BALITA', name: 'Rahma Audit', sex: 'F', birthDate: '2024-03-01', nik, villageCode: REGENCY_A.village })
      .expect(201);
    subjectId = s.body.id;
    await t.http().get(`/api/v1/subjects/${subjectId}`).set(cm).set('X-Request-Id', 'req-audit-0001').set('X-Purpose', 'kunjungan rumah').expect(200);
    await t.http().get(`/api/v1/subjects?nik=${nik}`).set(cm).set('X-Purpose', 'cek duplikat').expect(200);
    await t.http().get(`/api/v1/subjects?q=rahma`).set(cm).expect(200);
    await t.http().get(`/api/v1/subjects/${subjectId}/growth`).set(bearer(w.a.tokens.auditor)).expect(200);
    await t.http().post('/api/v1/auth/login').send({ username: 'casemanager.a', password: 'wrong-password-123' }).expect(401);
  });

  afterAll(async () => {
    await t?.close();
  });

  it("answers a DPO's question: who accessed this child's records, when and why", async () => {
    const entries = await trail(`subjectId=${subjectId}`);
    const actions = entries.map((e) => e.action).reverse();
    expect(actions).toEqual(['subject.create', 'subject.read', 'subject.search', 'subject.search', 'subject.growth']);
    const read = entries.find((e) => e.action === 'subject.read')!;
    expect(read).toMatchObject({ actorId: w.a.userIds.case_manager, actorRole: 'case_manager', actorName: expect.stringMatching(/\S/), purpose: 'kunjungan rumah', requestId: 'req-audit-0001', regencyCode: REGENCY_A.code });
    expect(entries.find((e) => e.action === 'subject.growth')).toMatchObject({ actorId: w.a.userIds.auditor });
    const byNik = entries.filter((e) => e.action === 'subject.search').find((e) => e.purpose === 'cek duplikat')!;
    expect(byNik.details.subjectIds).toEqual([subjectId]);
    // The trail names records, never the data itself.
    expect(JSON.stringify(entries)).not.toMatch(/Rahma|nik"/);
  });

  it('records logins, failed ones included, and writes', async () => {
    const failures = await trail('action=login.failure');
    expect(failures[0]).toMatchObject({ actorId: w.a.userIds.case_manager, details: { reason: 'wrong password', username: 'casemanager.a' } });
    expect((await trail(`userId=${w.a.userIds.case_manager}&action=login.success`)).length).toBeGreaterThan(0);
    await t.http().patch(`/api/v1/users/${w.a.targetUserId}`).set(bearer(w.a.tokens.admin)).send({ role: 'auditor' }).expect(200);
    const writes = await trail(`userId=${w.a.userIds.admin}`);
    expect(writes[0]).toMatchObject({ action: 'PATCH /api/v1/users/:id', details: { route: '/api/v1/users/:id' } });
  });

  it('every write route and every @Audit read carries the audit interceptor; plain reads do not', () => {
    const interceptor = t.app.get(AuditInterceptor);
    const discovery = t.app.get(DiscoveryService);
    const scanner = t.app.get(MetadataScanner);
    let writes = 0;
    let plainReads = 0;
    for (const { metatype } of discovery.getControllers()) {
      const proto = (metatype as { prototype: Record<string, object> }).prototype;
      for (const name of scanner.getAllMethodNames(proto)) {
        const method = Reflect.getMetadata(METHOD_METADATA, proto[name]) as RequestMethod | undefined;
        if (method === undefined) continue;
        const list = (Reflect.getMetadata(INTERCEPTORS_METADATA, proto[name]) as unknown[] | undefined) ?? [];
        // Only this app's interceptor, never one of an app made before it in this process.
        expect(list.filter((i) => i instanceof AuditInterceptor && i !== interceptor)).toEqual([]);
        const bound = list.filter((i) => i === interceptor).length;
        const route = `${RequestMethod[method]} ${metatype?.name}.${name}`;
        if (needsAudit(method, proto[name], metatype!)) {
          expect({ route, bound }).toEqual({ route, bound: 1 });
          if (method !== RequestMethod.GET) writes++;
        } else {
          expect({ route, bound }).toEqual({ route, bound: 0 });
          plainReads++;
        }
      }
    }
    expect(writes).toBeGreaterThan(50);
    expect(plainReads).toBeGreaterThan(10);
  });

  it('only a DPO queries it, within their regency', async () => {
    await t.http().get('/api/v1/audit-log').set(bearer(w.a.tokens.admin)).expect(403);
    await t.http().get('/api/v1/audit-log').set(cm).expect(403);
    await t.http().get(`/api/v1/audit-log?regencyCode=${w.b.regencyCode}`).set(dpo).expect(403);
    const other = await t.http().get(`/api/v1/audit-log?subjectId=${subjectId}`).set(bearer(w.b.tokens.dpo)).expect(200);
    expect(other.body.items).toEqual([]);
    const national = await createUser(t, w.nationalToken, { username: 'dpo.pusat', role: 'dpo' });
    const all = await t.http().get(`/api/v1/audit-log?subjectId=${subjectId}`).set(bearer(await login(t, 'dpo.pusat', national.password))).expect(200);
    expect(all.body.items.length).toBeGreaterThan(0);
  });

  it('the table refuses UPDATE, DELETE and TRUNCATE', async () => {
    await expect(t.sql(`UPDATE audit_log SET action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(t.sql(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    await expect(t.sql(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
  });

  it('verifies every chain, and names the first entry a superuser tampered with', async () => {
    const ds = t.app.get(DataSource);
    const clean = await verifyAuditChains(ds);
    expect(clean.broken).toEqual([]);
    expect(clean.entries).toBeGreaterThan(20);
    const [victim] = await t.sql<{ regency_code: string; seq: string }>(
      `SELECT regency_code, seq FROM audit_log WHERE action = 'subject.read' AND subject_id = $1`,
      [subjectId],
    );
    // A superuser can switch triggers off; the chain still gives them away.
    await ds.transaction(async (em) => {
      await em.query(`SET LOCAL session_replication_role = replica`);
      await em.query(`UPDATE audit_log SET purpose = 'rutin' WHERE regency_code = $1 AND seq = $2`, [victim.regency_code, victim.seq]);
    });
    const tampered = await verifyAuditChains(ds);
    expect(tampered.broken).toEqual([{ regencyCode: REGENCY_A.code, seq: Number(victim.seq), reason: 'its content does not match its hash' }]);
  });
});
