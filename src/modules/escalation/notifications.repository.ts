import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { returnedRows } from '../../database/prepared.js';
import type { Channel } from './policy.js';

export type NotificationStatus = 'pending' | 'sent' | 'dead';

export interface NotificationRow {
  id: string;
  regencyCode: string;
  escalationId: string | null;
  channel: Channel;
  recipientUserId: string | null;
  webhookId: string | null;
  address: string | null;
  kind: string;
  title: string;
  body: Record<string, unknown>;
  status: NotificationStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
  readAt: Date | null;
}

export interface LeasedNotification extends NotificationRow {
  webhookUrl: string | null;
  webhookSecret: Buffer | null;
}

export interface WebhookRow {
  id: string;
  regencyCode: string;
  opdId: string | null;
  url: string;
  secretEnc: Buffer;
  active: boolean;
  createdBy: string;
  createdAt: Date;
}

const COLUMNS = `n.id, n.regency_code AS "regencyCode", n.escalation_id AS "escalationId", n.channel, n.recipient_user_id AS "recipientUserId",
  n.webhook_id AS "webhookId", n.address, n.kind, n.title, n.body, n.status, n.attempts, n.next_attempt_at AS "nextAttemptAt",
  n.last_error AS "lastError", n.created_at AS "createdAt", n.sent_at AS "sentAt", n.read_at AS "readAt"`;

const WEBHOOK_COLUMNS = `id, regency_code AS "regencyCode", opd_id AS "opdId", url, secret_enc AS "secretEnc", active, created_by AS "createdBy",
  created_at AS "createdAt"`;

/** The only door to notifications (the outbox) and webhooks. */
@Injectable()
export class NotificationsRepository {
  constructor(private readonly ds: DataSource) {}

  manager(): EntityManager {
    return this.ds.manager;
  }

  async insertMany(em: EntityManager, rows: NotificationRow[]): Promise<void> {
    if (!rows.length) return;
    await em.query(
      `INSERT INTO notifications (id, regency_code, escalation_id, channel, recipient_user_id, webhook_id, address, kind, title, body, status,
                                  attempts, next_attempt_at, created_at, sent_at)
       SELECT id, r, e, c, u, w, a, k, t, b, s, 0, na, ca, sa
         FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::uuid[], $6::uuid[], $7::text[], $8::text[], $9::text[], $10::jsonb[],
                     $11::text[], $12::timestamptz[], $13::timestamptz[], $14::timestamptz[]) AS x(id, r, e, c, u, w, a, k, t, b, s, na, ca, sa)`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.regencyCode),
        rows.map((r) => r.escalationId),
        rows.map((r) => r.channel),
        rows.map((r) => r.recipientUserId),
        rows.map((r) => r.webhookId),
        rows.map((r) => r.address),
        rows.map((r) => r.kind),
        rows.map((r) => r.title),
        rows.map((r) => JSON.stringify(r.body)),
        rows.map((r) => r.status),
        rows.map((r) => r.nextAttemptAt),
        rows.map((r) => r.createdAt),
        rows.map((r) => r.sentAt),
      ],
    );
  }

  /**
   * Takes up to `limit` due deliveries for sending and pushes their next attempt to `leaseUntil`,
   * in one statement: a worker that dies while sending leaves them to be sent again after the
   * lease, with the same delivery id, so nothing is lost silently.
   */
  async lease(now: Date, leaseUntil: Date, limit: number): Promise<LeasedNotification[]> {
    const result: unknown = await this.ds.query(
      `WITH due AS (
         SELECT id FROM notifications WHERE status = 'pending' AND next_attempt_at <= $1
          ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
       UPDATE notifications n SET next_attempt_at = $2, attempts = n.attempts + 1
         FROM due
        WHERE n.id = due.id
       RETURNING ${COLUMNS},
         (SELECT url FROM webhooks WHERE id = n.webhook_id AND active) AS "webhookUrl",
         (SELECT secret_enc FROM webhooks WHERE id = n.webhook_id AND active) AS "webhookSecret"`,
      [now, leaseUntil, limit],
    );
    return returnedRows<LeasedNotification>(result);
  }

  async markSent(id: string, at: Date): Promise<void> {
    await this.ds.query(`UPDATE notifications SET status = 'sent', sent_at = $2, next_attempt_at = NULL, last_error = NULL WHERE id = $1`, [id, at]);
  }

  async markFailed(id: string, error: string, retryAt: Date | null): Promise<void> {
    await this.ds.query(
      `UPDATE notifications SET status = CASE WHEN $3::timestamptz IS NULL THEN 'dead' ELSE 'pending' END, next_attempt_at = $3, last_error = $2
        WHERE id = $1 AND status = 'pending'`,
      [id, error.slice(0, 500), retryAt],
    );
  }

  /** A dead-lettered delivery goes back in the queue with a fresh set of attempts. */
  async retry(id: string, regencyCode: string | null, now: Date): Promise<boolean> {
    const [, affected] = (await this.ds.query(
      `UPDATE notifications SET status = 'pending', attempts = 0, next_attempt_at = $3
        WHERE id = $1 AND status = 'dead' AND ($2::text IS NULL OR regency_code = $2)`,
      [id, regencyCode, now],
    )) as [unknown, number];
    return affected === 1;
  }

  find(id: string, regencyCode: string | null): Promise<NotificationRow | undefined> {
    return this.ds
      .query(`SELECT ${COLUMNS} FROM notifications n WHERE n.id = $1 AND ($2::text IS NULL OR n.regency_code = $2)`, [id, regencyCode])
      .then((rows: NotificationRow[]) => rows[0]);
  }

  /** A user's inbox, newest first, limit+1 rows. */
  inbox(userId: string, f: { unreadOnly: boolean; after?: [string, string]; limit: number }): Promise<NotificationRow[]> {
    return this.ds.query(
      `SELECT ${COLUMNS} FROM notifications n
        WHERE n.recipient_user_id = $1 AND n.channel = 'inbox' AND (NOT $2 OR n.read_at IS NULL)
          AND ($3::timestamptz IS NULL OR (n.created_at, n.id) < ($3::timestamptz, $4::uuid))
        ORDER BY n.created_at DESC, n.id DESC LIMIT $5`,
      [userId, f.unreadOnly, f.after?.[0] ?? null, f.after?.[1] ?? null, f.limit + 1],
    );
  }

  async markRead(id: string, userId: string, at: Date): Promise<boolean> {
    const rows = returnedRows(await this.ds.query(
      `UPDATE notifications SET read_at = coalesce(read_at, $3) WHERE id = $1 AND recipient_user_id = $2 AND channel = 'inbox' RETURNING id`,
      [id, userId, at],
    ));
    return rows.length === 1;
  }

  /** Deliveries of a regency (all for null), newest first, limit+1 rows. */
  deliveries(f: { regencyCode: string | null; status?: NotificationStatus; channel?: Channel; after?: [string, string]; limit: number }): Promise<NotificationRow[]> {
    return this.ds.query(
      `SELECT ${COLUMNS} FROM notifications n
        WHERE ($1::text IS NULL OR n.regency_code = $1) AND ($2::text IS NULL OR n.status = $2) AND ($3::text IS NULL OR n.channel = $3)
          AND ($4::timestamptz IS NULL OR (n.created_at, n.id) < ($4::timestamptz, $5::uuid))
        ORDER BY n.created_at DESC, n.id DESC LIMIT $6`,
      [f.regencyCode, f.status ?? null, f.channel ?? null, f.after?.[0] ?? null, f.after?.[1] ?? null, f.limit + 1],
    );
  }

  activeWebhooks(em: EntityManager, regencyCodes: string[]): Promise<WebhookRow[]> {
    if (!regencyCodes.length) return Promise.resolve([]);
    return em.query(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE active AND regency_code = ANY($1::text[])`, [regencyCodes]);
  }

  async insertWebhook(w: WebhookRow): Promise<void> {
    await this.ds.query(
      `INSERT INTO webhooks (id, regency_code, opd_id, url, secret_enc, active, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [w.id, w.regencyCode, w.opdId, w.url, w.secretEnc, w.active, w.createdBy, w.createdAt],
    );
  }

  webhooks(regencyCode: string | null): Promise<WebhookRow[]> {
    return this.ds.query(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE ($1::text IS NULL OR regency_code = $1) ORDER BY created_at, id`, [regencyCode]);
  }

  async deactivateWebhook(id: string, regencyCode: string | null): Promise<boolean> {
    const rows = returnedRows(await this.ds.query(
      `UPDATE webhooks SET active = false WHERE id = $1 AND ($2::text IS NULL OR regency_code = $2) RETURNING id`,
      [id, regencyCode],
    ));
    return rows.length === 1;
  }
}
