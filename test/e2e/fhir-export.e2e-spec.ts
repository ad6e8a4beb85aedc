import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FhirExportsRepository } from '../../src/modules/interop/fhir-exports.repository.js';
import { FhirExportDelivery } from '../../src/modules/interop/fhir-export.delivery.js';
import { FhirReceiver, posyanduCsv } from '../support/fhir-receiver.js';
import { importFile } from '../support/imports.js';
import { ADMIN, createTestApp, login, type TestApp } from '../support/test-app.js';
import { bearer, createUser } from '../support/world.js';

const CHILDREN = 250;
const MONTHS = 4; // 1,000 readings

describe('FHIR export to a receiver (SATUSEHAT-style)', () => {
  let t: TestApp;
  let receiver: FhirReceiver;
  let delivery: FhirExportDelivery;
  let admin: Record<string, string>;
  let cm: Record<string, string>;
  let niks: string[];
  const statuses = () => t.sql<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM fhir_exports GROUP BY status ORDER BY status`);
  const settings = () => ({ enabled: true, baseUrl: receiver.fhirUrl, tokenUrl: receiver.tokenUrl, clientId: receiver.clientId, organizationId: '100026342' });

  async function recordOne(body: Record<string, unknown>, reading: Record<string, unknown> = { measuredAt: '2026-11-02', weightKg: 9.8, heightCm: 79.5, method: 'recumbent' }) {
    const s = await t.http().post('/api/v1/subjects').set(cm).send({ targetGroup: 'BADUTA', sex: 'M', birthDate: '2025-06-10', villageCode: '3216062005', ...body });
    expect(s.status).toBe(201);
    await t.http().post(`/api/v1/subjects/${s.body.id}/measurements`).set(cm).send(reading).expect(201);
    return s.body.id as string;
  }

  beforeAll(async () => {
    receiver = await new FhirReceiver().start();
    t = await createTestApp({ FHIR_ALLOWED_HOSTS: '127.0.0.1', FHIR_EXPORT_MAX_ATTEMPTS: '6', JWT_TTL_SECONDS: String(30 * 24 * 3600) });
    delivery = t.app.get(FhirExportDelivery);
    const national = await login(t, ADMIN.username, ADMIN.password);
    admin = bearer(national);
    const user = await createUser(t, national, { username: 'cm.fhir', role: 'case_manager', regencyCode: '3216' });
    cm = bearer(await login(t, 'cm.fhir', user.password));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await receiver?.stop();
  });

  it('settings: https only unless the host is allowed, private addresses refused, the client secret sealed and never answered', async () => {
    const put = (body: Record<string, unknown>, who = admin) => t.http().put('/api/v1/fhir-settings/3216').set(who).send(body);
    const plain = await put({ ...settings(), baseUrl: 'http://fhir.example.org/fhir-r4/v1', clientSecret: 'x' });
    expect(plain.status).toBe(400);
    expect(JSON.stringify(plain.body)).toContain('must be https');
    const internal = await put({ ...settings(), tokenUrl: 'https://10.20.30.40/oauth2/v1/accesstoken', clientSecret: 'x' });
    expect(internal.status).toBe(400);
    expect(JSON.stringify(internal.body)).toMatch(/tokenUrl.*private or loopback/);
    const noSecret = await put(settings());
    expect(noSecret.status).toBe(400);
    expect(JSON.stringify(noSecret.body)).toContain('clientSecret');
    await put({ ...settings(), clientSecret: receiver.clientSecret }, cm).expect(403);
    const ok = await put({ ...settings(), clientSecret: receiver.clientSecret }).expect(200);
    expect(ok.body).toMatchObject({ regencyCode: '3216', enabled: true, clientSecretSet: true });
    expect(JSON.stringify(ok.body)).not.toContain(receiver.clientSecret);
    const [stored] = await t.sql<{ s: Buffer }>(`SELECT client_secret_enc AS s FROM fhir_export_settings WHERE regency_code = '3216'`);
    expect(Buffer.from(stored.s).includes(Buffer.from(receiver.clientSecret))).toBe(false);
    // Omitting the secret later keeps it.
    await put({ ...settings(), zscoreSystem: null }).expect(200);
    expect((await t.http().get('/api/v1/fhir-settings/3216').set(admin).expect(200)).body.clientId).toBe(receiver.clientId);
  });

  it('a reading recorded by hand and 1,000 imported readings each queue one export in their own transaction; a regency with the export off queues none', async () => {
    await recordOne({ name: 'Bima Saputra', nik: '3216061006250001' });
    expect(await statuses()).toEqual([{ status: 'pending', n: 1 }]);
    const file = posyanduCsv(CHILDREN, MONTHS);
    niks = file.niks;
    const done = await importFile(t, cm, file.csv);
    expect(done.rejections.slice(0, 3)).toEqual([]);
    expect(done).toMatchObject({ status: 'done', rowsRead: 1000, rowsTaken: 1000, rowsRejected: 0 });
    expect(await statuses()).toEqual([{ status: 'pending', n: 1001 }]);
    // Every export row points at a reading of its regency.
    const [joined] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM fhir_exports e JOIN measurements m ON m.id = e.measurement_id AND m.regency_code = e.regency_code`);
    expect(joined.n).toBe(1001);
    // Kota Bandung has no export settings: its reading queues nothing.
    const s = await t.http().post('/api/v1/subjects').set(admin).send({ targetGroup: 'BALITA', name: 'Dewi Lestari', sex: 'F', birthDate: '2024-05-01', villageCode: '3273011001' }).expect(201);
    await t.http().post(`/api/v1/subjects/${s.body.id}/measurements`).set(admin).send({ measuredAt: '2026-11-03', weightKg: 11, heightCm: 84, method: 'standing' }).expect(201);
    expect((await t.sql(`SELECT 1 FROM fhir_exports WHERE regency_code = '3273'`)).length).toBe(0);
    // A re-import stores nothing new, so it queues nothing.
    await importFile(t, cm, file.csv);
    expect(await statuses()).toEqual([{ status: 'pending', n: 1001 }]);
  }, 180_000);

  it('delivers each of them exactly once through a receiver outage, a token expiry and dropped connections after the receiver stored them', async () => {
    // 300 go through, then the receiver is down (500) for the rest of this round.
    receiver.cue('ok', 300);
    receiver.cue('500', 2000);
    const first = await delivery.deliverDue();
    expect(first).toEqual({ sent: 300, retrying: 701, invalid: 0, dead: 0 });
    expect(receiver.stats.tokenRequests).toBe(1);

    // The receiver is back, but every token it issued has expired; 40 bundles are stored and their answers lost.
    receiver.clearCues();
    receiver.expireTokens();
    receiver.cue('ok', 100);
    receiver.cue('drop', 40);
    t.clock.advance(31_000);
    const second = await delivery.deliverDue();
    expect(second).toEqual({ sent: 661, retrying: 40, invalid: 0, dead: 0 });
    expect(receiver.stats.tokenRequests).toBe(2); // renewed once, on the first 401
    expect(receiver.stats.dropped).toBe(40);

    // Their retry is due after the second backoff (60 s): sent again, and the receiver creates nothing new.
    t.clock.advance(59_000);
    expect((await delivery.deliverDue()).sent).toBe(0);
    t.clock.advance(2_000);
    expect(await delivery.deliverDue()).toEqual({ sent: 40, retrying: 0, invalid: 0, dead: 0 });
    expect(await statuses()).toEqual([{ status: 'sent', n: 1001 }]);

    const encounters = [...receiver.created].filter(([k]) => k.startsWith('Encounter|'));
    expect(encounters).toHaveLength(1001);
    expect(encounters.every(([, n]) => n === 1)).toBe(true);
    expect(receiver.count('Observation')).toBe(2002); // a weight and a height each
    expect([...receiver.created.values()].every((n) => n === 1)).toBe(true);
    expect(receiver.count('Location')).toBe(2); // Posyandu Melati 3 and the hand-recorded child's village, once each
    // The 40 whose answers were lost arrived twice, and nothing else did.
    expect([...receiver.received.values()].filter((n) => n === 2)).toHaveLength(40);
    expect([...receiver.received.values()].every((n) => n <= 2)).toBe(true);
    expect(receiver.problems).toEqual([]);
    // The readings stored with the measurement ids the receiver saw.
    const [stored] = await t.sql<{ ids: string[] }>(`SELECT array_agg(measurement_id::text) AS ids FROM fhir_exports`);
    expect(new Set(encounters.map(([k]) => k.split('|')[2]))).toEqual(new Set(stored.ids));
  }, 300_000);

  it('renews the token before the expiry the token endpoint announced, by the injected clock', async () => {
    const before = receiver.stats.tokenRequests;
    const unauthorised = receiver.stats.unauthorised;
    t.clock.advance(3600_000);
    await recordOne({ name: 'Rizky Hidayat', nik: '3216061006250007' });
    expect(await delivery.deliverDue()).toMatchObject({ sent: 1 });
    expect(receiver.stats.tokenRequests).toBe(before + 1);
    expect(receiver.stats.unauthorised).toBe(unauthorised);
  });

  it('a sender that died after leasing leaves the export to be sent once the lease is over', async () => {
    await recordOne({ name: 'Tegar Nugroho', nik: '3216061006250008' });
    const leased = await t.app.get(FhirExportsRepository).lease(t.clock.now(), new Date(t.clock.now().getTime() + 5 * 60_000), 50);
    expect(leased).toHaveLength(1);
    expect((await delivery.deliverDue()).sent).toBe(0);
    t.clock.advance(5 * 60_000 + 1);
    expect((await delivery.deliverDue()).sent).toBe(1);
  });

  it('a child without NIK goes as a Patient by the mother’s NIK; one with neither is never sent and its row says why', async () => {
    const created = receiver.count('Patient');
    await recordOne({ name: 'Bayi Ny. Siti', motherNik: '3216065508950003' });
    await recordOne({ name: 'Anak Tanpa NIK' });
    expect(await delivery.deliverDue()).toEqual({ sent: 1, retrying: 0, invalid: 1, dead: 0 });
    expect(receiver.count('Patient')).toBe(created + 1);
    expect(receiver.created.has('Patient|https://fhir.kemkes.go.id/id/nik-ibu|3216065508950003')).toBe(true);
    expect(receiver.count('RelatedPerson')).toBe(1);
    const invalid = await t.http().get('/api/v1/fhir-exports?status=invalid').set(admin).expect(200);
    expect(invalid.body.items).toHaveLength(1);
    expect(invalid.body.items[0].lastError).toContain('neither a NIK nor a mother');
  });

  it('a bundle the receiver refuses is dead-lettered at once; only an admin puts it back, and it goes', async () => {
    await recordOne({ name: 'Fajar Santoso', nik: '3216061006250009' });
    receiver.cue('400');
    expect(await delivery.deliverDue()).toMatchObject({ dead: 1 });
    const dead = await t.http().get('/api/v1/fhir-exports?status=dead').set(admin).expect(200);
    expect(dead.body.items).toHaveLength(1);
    expect(dead.body.items[0]).toMatchObject({ status: 'dead', attempts: 1, lastError: 'the receiver refused the bundle (400)' });
    const id = dead.body.items[0].id as string;
    await t.http().post(`/api/v1/fhir-exports/${id}/retry`).set(cm).expect(403);
    const sentOne = (await t.http().get('/api/v1/fhir-exports?status=sent&limit=1').set(admin).expect(200)).body.items[0].id;
    const refused = await t.http().post(`/api/v1/fhir-exports/${sentOne}/retry`).set(admin).expect(400);
    expect(JSON.stringify(refused.body)).toContain('this one is sent');
    expect((await t.http().post(`/api/v1/fhir-exports/${id}/retry`).set(admin).expect(200)).body).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await delivery.deliverDue()).toMatchObject({ sent: 1 });
  });

  it('lists exports by status and time, in the caller’s regency; bad filters are a 400 naming the field', async () => {
    const all = await t.http().get('/api/v1/fhir-exports?limit=200').set(admin).expect(200);
    expect(all.body.items).toHaveLength(200);
    expect(all.body.nextCursor).toEqual(expect.any(String));
    const from = new Date(t.clock.now().getTime() - 1000).toISOString();
    const recent = await t.http().get(`/api/v1/fhir-exports?from=${from}`).set(admin).expect(200);
    expect(recent.body.items.length).toBeLessThan(10);
    const empty = await t.http().get('/api/v1/fhir-exports?to=2026-01-01').set(admin).expect(200);
    expect(empty.body.items).toEqual([]);
    for (const [q, field] of [['status=lost', 'status'], ['from=yesterday', 'from'], ['from=2026-12-01&to=2026-11-01', 'to']]) {
      const res = await t.http().get(`/api/v1/fhir-exports?${q}`).set(admin);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain(field);
    }
    await t.http().get('/api/v1/fhir-exports').set(cm).expect(403);
  });

  it('$everything: a child’s growth as a FHIR collection, in scope, with a purpose, audited', async () => {
    const [child] = await t.sql<{ id: string }>(`SELECT s.id FROM subjects s JOIN measurements m ON m.subject_id = s.id WHERE s.regency_code = '3216' AND s.name LIKE 'Aisyah%' GROUP BY s.id HAVING count(*) = 4 LIMIT 1`);
    const url = `/api/v1/fhir/Patient/${child.id}/$everything`;
    await t.http().get(url).set(cm).expect(400); // no X-Purpose
    const res = await t.http().get(url).set({ ...cm, 'X-Purpose': 'SATUSEHAT reconciliation' }).expect(200);
    expect(res.headers['content-type']).toContain('application/fhir+json');
    const bundle = JSON.parse(res.text);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    const types = bundle.entry.map((e: { resource: { resourceType: string } }) => e.resource.resourceType);
    expect(types.filter((x: string) => x === 'Encounter')).toHaveLength(4);
    expect(types.filter((x: string) => x === 'Observation')).toHaveLength(8);
    expect(niks).toContain(bundle.entry[0].resource.identifier[0].value);
    const audit = await t.sql<{ action: string }>(`SELECT action FROM audit_log WHERE subject_id = $1 AND action = 'subject.fhir_everything'`, [child.id]);
    expect(audit).toHaveLength(1);
    // Another regency's user does not see the child.
    const national = await login(t, ADMIN.username, ADMIN.password);
    const other = await createUser(t, national, { username: 'cm.bandung', role: 'case_manager', regencyCode: '3273' });
    const bandung = bearer(await login(t, 'cm.bandung', other.password));
    await t.http().get(url).set({ ...bandung, 'X-Purpose': 'x' }).expect(404);
    await t.http().get('/api/v1/fhir/Patient/not-a-uuid/$everything').set({ ...cm, 'X-Purpose': 'x' }).expect(400);
  });

  it('the exporter writes no NIK, secret or token to the log', () => {
    const log = t.logs.join('');
    expect(log).toContain('FhirExportDelivery');
    for (const nik of niks.slice(0, 20)) expect(log).not.toContain(nik);
    expect(log).not.toContain('3216065508950003');
    expect(log).not.toContain(receiver.clientSecret);
  });
});
