import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { EscalationSweeper } from '../../src/modules/escalation/escalation.sweeper.js';
import { NotificationDelivery } from '../../src/modules/escalation/notification-delivery.js';
import { NotificationsRepository } from '../../src/modules/escalation/notifications.repository.js';
import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhook } from '../../src/modules/escalation/webhook-signature.js';
import { createTestApp, T0, type TestApp } from '../support/test-app.js';
import { bearer, buildWorld, REGENCY_A, type World } from '../support/world.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const onServer = !!process.env.TEST_DATABASE_URL;

/** `n` open case steps of regency A, due at `dueAt(i)`, with their first rung due then too. */
async function seedDueSteps(t: TestApp, n: number, dueAtSql: string): Promise<void> {
  await t.sql(
    `INSERT INTO step_deadlines (aggregate_type, aggregate_id, regency_code, village_code, opd_id, step, step_seq, entered_at, due_at, next_rung, next_rung_at)
     SELECT 'case', gen_random_uuid(), $2, $3, NULL, 'identified', 1, d - interval '30 days', d, 1, d
       FROM (SELECT ${dueAtSql} AS d FROM generate_series(1, $1) AS i) s`,
    [n, REGENCY_A.code, REGENCY_A.village],
  );
}

async function count(t: TestApp, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await t.sql<{ n: string }>(sql, params);
  return Number(row.n);
}

describe('escalation sweep: exactly once, across instances and after downtime', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('after 3 days of downtime one sweep fires the whole backlog once, recording how late each fired', async () => {
    const now = new Date(T0.getTime() + 3 * DAY);
    // Steps fell due every 5 minutes while the service was down.
    await seedDueSteps(t, 864, `$4::timestamptz - (i * interval '5 minutes')`.replace('$4', `'${now.toISOString()}'`));
    const expected = 864 + (await count(t, `SELECT count(*) AS n FROM step_deadlines WHERE due_at <= $1`, [new Date(now.getTime() - DAY)]));
    t.clock.set(now);
    const sweeper = t.app.get(EscalationSweeper);
    const result = await sweeper.sweep(200);
    expect(result.fired).toBe(expected);
    expect(await count(t, `SELECT count(*) AS n FROM escalations`)).toBe(expected);
    expect((await sweeper.sweep()).fired).toBe(0);
    // Lateness is recorded: the oldest first rung fired 3 days late, the newest on time.
    const late = await t.sql<{ max: number; min: number }>(
      `SELECT max(extract(epoch FROM fired_at - scheduled_at))::int AS max, min(extract(epoch FROM fired_at - scheduled_at))::int AS min FROM escalations WHERE level = 1`,
    );
    expect(late[0]).toEqual({ max: 864 * 300, min: 300 });
    const api = await t.http().get('/api/v1/escalations?limit=1').set(bearer(await adminToken(t))).expect(200);
    expect(api.body.items[0].lateBySeconds).toBeGreaterThanOrEqual(0);
    await t.sql(`DELETE FROM escalations`);
    await t.sql(`DELETE FROM step_deadlines`);
  });

  (onServer ? it : it.skip)('two service instances sweeping the same 10,000 due steps record each rung once', async () => {
    const now = new Date(T0.getTime() + 10 * DAY);
    await seedDueSteps(t, 10_000, `'${new Date(now.getTime() - HOUR).toISOString()}'::timestamptz - (i * interval '1 second')`);
    const other = await createTestApp({ DATABASE_URL: t.env.DATABASE_URL });
    try {
      t.clock.set(now);
      other.clock.set(now);
      const [a, b] = await Promise.all([t.app.get(EscalationSweeper).sweep(), other.app.get(EscalationSweeper).sweep()]);
      expect(a.fired + b.fired).toBe(10_000);
      expect(await count(t, `SELECT count(*) AS n FROM escalations`)).toBe(10_000);
      expect(await count(t, `SELECT count(DISTINCT (aggregate_id, step_seq, level)) AS n FROM escalations`)).toBe(10_000);
      expect(await count(t, `SELECT count(*) AS n FROM step_deadlines WHERE next_rung = 2 AND last_level = 1`)).toBe(10_000);
      expect([(await t.app.get(EscalationSweeper).sweep()).fired, (await other.app.get(EscalationSweeper).sweep()).fired]).toEqual([0, 0]);
    } finally {
      await other.close({ keepDatabase: true });
      await t.sql(`DELETE FROM escalations`);
      await t.sql(`DELETE FROM step_deadlines`);
    }
  });
});

async function adminToken(t: TestApp): Promise<string> {
  const res = await t.http().post('/api/v1/auth/login').send({ username: 'admin', password: 'admin-password-for-tests' });
  return res.body.accessToken as string;
}

describe('notification delivery: webhooks and e-mail', () => {
  let t: TestApp;
  let w: World;
  let admin: Record<string, string>;
  let receiver: Server;
  let smtp: SMTPServer;
  const mails: { to: string; delivery: string }[] = [];
  /** Every request the receiver saw, and what it answered. */
  const seen: { path: string; delivery: string; status: number; valid: boolean }[] = [];
  let failuresLeft = 0;
  const secrets = new Map<string, string>();
  let base = '';

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const secret = secrets.get(req.url ?? '') ?? '';
        const valid = verifyWebhook(secret, String(req.headers[TIMESTAMP_HEADER]), body, String(req.headers[SIGNATURE_HEADER]));
        const status = req.url === '/dead' ? 500 : failuresLeft-- > 0 ? 500 : 200;
        seen.push({ path: req.url ?? '', delivery: String(req.headers[DELIVERY_HEADER]), status, valid });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        let raw = '';
        stream.on('data', (c: Buffer) => (raw += c.toString()));
        stream.on('end', () => {
          const delivery = /X-Tuntas-Delivery: (\S+)/i.exec(raw)?.[1] ?? '';
          for (const rcpt of session.envelope.rcptTo) mails.push({ to: rcpt.address, delivery });
          callback();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    const smtpPort = (smtp.server.address() as AddressInfo).port;
    t = await createTestApp({ SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, JWT_TTL_SECONDS: String((30 * DAY) / 1000), WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    w = await buildWorld(t);
    admin = bearer(w.a.tokens.admin);
    // Cases fall due a day after they are opened, so the clock stays well within the tokens' life.
    await t.http().put(`/api/v1/sla-policies/${REGENCY_A.code}`).set(admin).send({ days: { identified: 1, audited: 14, intervened: 30, remeasured: 7 } }).expect(200);
  });

  afterAll(async () => {
    await t?.close();
    await new Promise((r) => receiver?.close(r));
    await new Promise((r) => smtp?.close(() => r(undefined)));
  });

  async function deliverUntilQuiet(rounds: number): Promise<void> {
    const delivery = t.app.get(NotificationDelivery);
    for (let i = 0; i < rounds; i += 1) {
      await delivery.deliverDue();
      t.clock.advance(7 * HOUR); // past the longest backoff
    }
  }

  it('a receiver that fails for a while still gets every notification, once per delivery id, signed', async () => {
    const hook = await t.http().post('/api/v1/webhooks').set(admin).send({ url: `${base}/ok` }).expect(201);
    expect(hook.body.secret).toMatch(/^[\w-]{40,}$/);
    secrets.set('/ok', hook.body.secret);
    const listed = await t.http().get('/api/v1/webhooks').set(admin).expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(hook.body.secret);
    await t.http().post('/api/v1/webhooks').set(admin).send({ url: 'not a url' }).expect(400);
    await t.http().post('/api/v1/webhooks').set(bearer(w.a.tokens.case_manager)).send({ url: `${base}/ok` }).expect(403);
    await t.http().patch(`/api/v1/users/${w.a.userIds.case_manager}`).set(admin).send({ email: 'cm@bekasikab.go.id' }).expect(200);
    await t.http().patch(`/api/v1/users/${w.a.userIds.case_manager}`).set(admin).send({ email: 'not-an-email' }).expect(400);

    // Five unassigned-manager case steps fall due: each rung notifies the case managers, the webhook and by e-mail.
    const cm = bearer(w.a.tokens.case_manager);
    for (let i = 0; i < 5; i += 1) {
      const s = await t.http().post('/api/v1/subjects').set(cm).send({ targetGroup: 'BALITA', name: `Anak ${i}`, sex: 'M', birthDate: '2024-01-01', villageCode: REGENCY_A.village }).expect(201);
      await t.http().post('/api/v1/cases').set(cm).send({ subjectId: s.body.id, identifiedAt: '2026-11-20', source: 'manual' }).expect(201);
    }
    t.clock.set(new Date(T0.getTime() + DAY + HOUR));
    expect((await t.app.get(EscalationSweeper).sweep()).fired).toBe(5);
    const webhookIds = (await t.sql<{ id: string }>(`SELECT id FROM notifications WHERE channel = 'webhook'`)).map((r) => r.id).sort();
    expect(webhookIds).toHaveLength(5);
    expect(await count(t, `SELECT count(*) AS n FROM notifications WHERE channel = 'email'`)).toBe(5);

    failuresLeft = 7;
    await deliverUntilQuiet(6);
    const ok = seen.filter((s) => s.path === '/ok' && s.status === 200);
    expect(ok.map((s) => s.delivery).sort()).toEqual(webhookIds);
    expect(seen.filter((s) => s.path === '/ok').length).toBe(5 + 7);
    expect(seen.every((s) => s.valid)).toBe(true);
    expect(await count(t, `SELECT count(*) AS n FROM notifications WHERE channel = 'webhook' AND status = 'sent'`)).toBe(5);
    expect(mails.map((m) => m.to)).toEqual(Array(5).fill('cm@bekasikab.go.id'));
    const status = await t.http().get(`/api/v1/notification-deliveries/${webhookIds[0]}`).set(admin).expect(200);
    expect(status.body).toMatchObject({ status: 'sent', channel: 'webhook' });
    expect(status.body.attempts).toBeGreaterThanOrEqual(1);
  });

  it('a worker that dies between sending and marking sent leaves the delivery to be sent again with the same id', async () => {
    const cm = bearer(w.a.tokens.case_manager);
    const s = await t.http().post('/api/v1/subjects').set(cm).send({ targetGroup: 'BALITA', name: 'Anak crash', sex: 'M', birthDate: '2024-01-01', villageCode: REGENCY_A.village }).expect(201);
    await t.http().post('/api/v1/cases').set(cm).send({ subjectId: s.body.id, identifiedAt: '2026-11-20', source: 'manual' }).expect(201);
    t.clock.advance(2 * DAY);
    await t.app.get(EscalationSweeper).sweep();
    // A worker takes it and dies before marking it sent.
    const leased = await t.app.get(NotificationsRepository).lease(t.clock.now(), new Date(t.clock.now().getTime() + 5 * 60_000), 100);
    const hook = leased.find((n) => n.channel === 'webhook')!;
    expect(hook).toBeDefined();
    await t.app.get(NotificationDelivery).deliverDue();
    expect(seen.some((x) => x.delivery === hook.id)).toBe(false); // still leased
    t.clock.advance(6 * 60_000);
    await t.app.get(NotificationDelivery).deliverDue();
    expect(seen.filter((x) => x.delivery === hook.id && x.status === 200)).toHaveLength(1);
  });

  it('a receiver that never answers 2xx dead-letters the delivery; an admin can list and retry it', async () => {
    const hook = await t.http().post('/api/v1/webhooks').set(admin).send({ url: `${base}/dead` }).expect(201);
    secrets.set('/dead', hook.body.secret);
    const cm = bearer(w.a.tokens.case_manager);
    const s = await t.http().post('/api/v1/subjects').set(cm).send({ targetGroup: 'BALITA', name: 'Anak dead', sex: 'M', birthDate: '2024-01-01', villageCode: REGENCY_A.village }).expect(201);
    await t.http().post('/api/v1/cases').set(cm).send({ subjectId: s.body.id, identifiedAt: '2026-11-20', source: 'manual' }).expect(201);
    t.clock.advance(2 * DAY);
    await t.app.get(EscalationSweeper).sweep();
    await deliverUntilQuiet(12);
    const dead = await t.http().get('/api/v1/notification-deliveries?status=dead').set(admin).expect(200);
    // Every escalation since the dead receiver was registered (this case's, and further rungs of earlier ones).
    expect(dead.body.items.length).toBeGreaterThanOrEqual(1);
    for (const d of dead.body.items) expect(d).toMatchObject({ webhookId: hook.body.id, attempts: 10, lastError: 'the receiver answered 500', nextAttemptAt: null });
    expect(seen.filter((x) => x.path === '/dead').length).toBe(10 * dead.body.items.length);
    const id = dead.body.items[0].id;
    await t.http().get('/api/v1/notification-deliveries?status=dead').set(bearer(w.b.tokens.admin)).expect(200).then((r) => expect(r.body.items).toEqual([]));
    const retried = await t.http().post(`/api/v1/notification-deliveries/${id}/retry`).set(admin).expect(200);
    expect(retried.body).toMatchObject({ status: 'pending', attempts: 0 });
    await t.http().post(`/api/v1/notification-deliveries/${id}/retry`).set(admin).expect(400);
    await t.http().delete(`/api/v1/webhooks/${hook.body.id}`).set(admin).expect(204);
    await t.app.get(NotificationDelivery).deliverDue();
    const after = await t.http().get(`/api/v1/notification-deliveries/${id}`).set(admin).expect(200);
    expect(after.body).toMatchObject({ status: 'dead', lastError: 'the webhook is gone' });
  });
});
