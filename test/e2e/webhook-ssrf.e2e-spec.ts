import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EscalationSweeper } from '../../src/modules/escalation/escalation.sweeper.js';
import { NotificationDelivery } from '../../src/modules/escalation/notification-delivery.js';
import { RESOLVE_HOST, type ResolveHost } from '../../src/modules/escalation/webhook-target.js';
import { createTestApp, T0, type TestApp } from '../support/test-app.js';
import { bearer, buildWorld, REGENCY_A, type World } from '../support/world.js';

const DAY = 86_400_000;

/**
 * Names this test's DNS answers. Every address is loopback or never connected to: the refused
 * ones are refused before any connection is made, and the allowed one is this test's receiver.
 */
const DNS: Record<string, { address: string; family: number }[]> = {
  'receiver.tuntas.test': [{ address: '127.0.0.1', family: 4 }],
  'rebind.tuntas.test': [{ address: '127.0.0.1', family: 4 }],
  'v6.tuntas.test': [{ address: '::1', family: 6 }],
  'mapped.tuntas.test': [{ address: '::ffff:127.0.0.1', family: 6 }],
  'metadata.tuntas.test': [{ address: '169.254.169.254', family: 4 }],
  'office.tuntas.test': [{ address: '10.20.30.40', family: 4 }],
};
const resolve: ResolveHost = async (host) => {
  const found = DNS[host];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return found;
};

describe('webhooks cannot be pointed inside (SSRF)', () => {
  let t: TestApp;
  let w: World;
  let admin: Record<string, string>;
  let receiver: Server;
  let internal: Server;
  let receiverPort = 0;
  let internalPort = 0;
  const receiverHits: string[] = [];
  const internalHits: string[] = [];

  beforeAll(async () => {
    // An internal service that must never be reached, and the allow-listed receiver.
    internal = createServer((req, res) => {
      internalHits.push(req.url ?? '');
      res.writeHead(200).end('internal-admin-console v1.2 secret-banner');
    });
    receiver = createServer((req, res) => {
      receiverHits.push(req.url ?? '');
      req.resume();
      if (req.url === '/redirect') return void res.writeHead(302, { Location: `http://127.0.0.1:${internalPort}/admin` }).end();
      if (req.url === '/chatty') return void res.writeHead(500).end('stack trace of an internal service, secret-banner');
      res.writeHead(200).end();
    });
    await new Promise<void>((r) => internal.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    internalPort = (internal.address() as AddressInfo).port;
    receiverPort = (receiver.address() as AddressInfo).port;
    t = await createTestApp(
      { WEBHOOK_ALLOWED_HOSTS: 'receiver.tuntas.test', JWT_TTL_SECONDS: String(30 * 86_400) },
      { providers: [[RESOLVE_HOST, resolve]] },
    );
    w = await buildWorld(t);
    admin = bearer(w.a.tokens.admin);
    await t.http().put(`/api/v1/sla-policies/${REGENCY_A.code}`).set(admin).send({ days: { identified: 1, audited: 14, intervened: 30, remeasured: 7 } }).expect(200);
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((r) => receiver?.close(r));
    await new Promise((r) => internal?.close(r));
  });

  it.each([
    ['plain http to a host not allow-listed', 'http://hooks.example.org/tuntas', 'must use https (plain http only for hosts in WEBHOOK_ALLOWED_HOSTS)'],
    ['credentials in the URL', 'https://tpps:rahasia@hooks.example.org/tuntas', 'must not contain a user name or password'],
    ['a user name alone', 'https://tpps@hooks.example.org/tuntas', 'must not contain a user name or password'],
    ['localhost', 'https://localhost:8443/', 'must not point at localhost'],
    ['a .localhost name', 'https://api.localhost/', 'must not point at localhost'],
    ['IPv4 loopback', 'https://127.0.0.1:5432/', 'must not point at a loopback, private, link-local or otherwise internal address'],
    // The DTO's URL check already refuses these spellings (webhook-target.spec covers them beyond it).
    ['loopback written as one number', 'https://2130706433/', null],
    ['loopback written in hex', 'https://0x7f.0.0.1/', null],
    ['the cloud metadata address', 'https://169.254.169.254/latest/meta-data/', 'must not point at a loopback, private, link-local or otherwise internal address'],
    ['a private range', 'https://10.0.0.8/hook', 'must not point at a loopback, private, link-local or otherwise internal address'],
    ['another private range', 'https://192.168.1.1/hook', 'must not point at a loopback, private, link-local or otherwise internal address'],
    ['carrier-grade NAT', 'https://100.64.0.1/hook', 'must not point at a loopback, private, link-local or otherwise internal address'],
    ['unspecified', 'https://0.0.0.0/', 'must not point at a loopback, private, link-local or otherwise internal address'],
    ['multicast', 'https://224.0.0.1/', 'must not point at a loopback, private, link-local or otherwise internal address'],
    ['IPv6 loopback', 'https://[::1]/', 'must not point at a loopback, private, link-local or otherwise internal address'],
    ['IPv4-mapped IPv6 loopback', 'https://[::ffff:127.0.0.1]/', 'must not point at a loopback, private, link-local or otherwise internal address'],
    ['IPv6 link-local', 'https://[fe80::1]/', 'must not point at a loopback, private, link-local or otherwise internal address'],
    ['IPv6 unique local', 'https://[fd12:3456::1]/', 'must not point at a loopback, private, link-local or otherwise internal address'],
    ['IPv6 unspecified', 'https://[::]/', 'must not point at a loopback, private, link-local or otherwise internal address'],
  ])('registration refuses %s with 400', async (_, url, reason) => {
    const before = (await t.sql<{ n: string }>('SELECT count(*) AS n FROM webhooks'))[0].n;
    const res = await t.http().post('/api/v1/webhooks').set(admin).send({ url });
    expect([res.status, res.body.error]).toEqual([400, 'VALIDATION_FAILED']);
    expect(res.body.details.fields).toContainEqual({ field: 'url', reason: reason ?? expect.any(String) });
    expect((await t.sql<{ n: string }>('SELECT count(*) AS n FROM webhooks'))[0].n).toBe(before);
  });

  it('every address is checked again at send time; only the allow-listed receiver is reached, and the log never shows an internal answer', async () => {
    const register = async (url: string) => (await t.http().post('/api/v1/webhooks').set(admin).send({ url }).expect(201)).body.id as string;
    const ok = await register(`http://receiver.tuntas.test:${receiverPort}/ok`);
    const redirect = await register(`http://receiver.tuntas.test:${receiverPort}/redirect`);
    const chatty = await register(`http://receiver.tuntas.test:${receiverPort}/chatty`);
    const closed = await register(`http://receiver.tuntas.test:${internalPort + 1 === receiverPort ? internalPort + 2 : internalPort + 1}/gone`);
    // Names pass registration (they are not resolved then) and resolve inside later.
    const rebound = await register('https://rebind.tuntas.test/hook');
    const v6 = await register('https://v6.tuntas.test/hook');
    const mapped = await register('https://mapped.tuntas.test/hook');
    const metadata = await register('https://metadata.tuntas.test/hook');
    const office = await register(`https://office.tuntas.test:${internalPort}/hook`);
    // A row stored before these checks existed, pointing straight at the internal service.
    const legacy = await register('https://hooks.example.org/legacy');
    await t.sql(`UPDATE webhooks SET url = $1 WHERE id = $2`, [`http://127.0.0.1:${internalPort}/admin`, legacy]);

    // One case falls due: its escalation goes to every webhook of the regency.
    const cm = bearer(w.a.tokens.case_manager);
    const s = await t.http().post('/api/v1/subjects').set(cm).send({ targetGroup: 'BALITA', name: 'Anak Webhook', sex: 'F', birthDate: '2024-02-02', villageCode: REGENCY_A.village }).expect(201);
    await t.http().post('/api/v1/cases').set(cm).send({ subjectId: s.body.id, identifiedAt: '2026-11-20', source: 'manual' }).expect(201);
    t.clock.set(new Date(T0.getTime() + DAY + 3600_000));
    expect((await t.app.get(EscalationSweeper).sweep()).fired).toBe(1);
    await t.app.get(NotificationDelivery).deliverDue();

    const log = (await t.http().get('/api/v1/notification-deliveries?channel=webhook').set(admin).expect(200)).body.items as { webhookId: string; status: string; lastError: string | null }[];
    const of = (id: string) => log.find((d) => d.webhookId === id);
    expect(of(ok)).toMatchObject({ status: 'sent' });
    for (const id of [rebound, v6, mapped, metadata, office, legacy]) expect([id, of(id)]).toEqual([id, expect.objectContaining({ status: 'dead', lastError: 'refused: private address' })]);
    expect(of(redirect)).toMatchObject({ status: 'pending', lastError: 'the receiver answered 302 (redirects are not followed)' });
    expect(of(chatty)).toMatchObject({ status: 'pending', lastError: 'the receiver answered 500' });
    expect(of(closed)).toMatchObject({ status: 'pending', lastError: 'could not reach the receiver' });
    expect(internalHits).toEqual([]);
    expect(receiverHits.sort()).toEqual(['/chatty', '/ok', '/redirect']);
    const everything = JSON.stringify(log) + t.logs.join('');
    expect(everything).not.toContain('secret-banner');
    expect(everything).not.toMatch(/ECONNREFUSED|127\.0\.0\.1:\d+/);
  });
});
