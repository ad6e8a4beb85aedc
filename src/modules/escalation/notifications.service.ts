import { Inject, Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { PiiCipher } from '../../common/crypto/pii-cipher.js';
import { NotFound, ValidationFailed } from '../../common/errors/domain-error.js';
import { decodeCursor, type Page, pageSize, toPage } from '../../common/http/pagination.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { type Actor, regencyScope, targetRegency } from '../identity/actor.js';
import { UsersDirectory } from '../identity/users.directory.js';
import { OpdsService } from '../organisations/opds.service.js';
import type { FiredEscalation } from './escalations.repository.js';
import { webhookUrlProblem } from './webhook-target.js';
import { type NotificationRow, NotificationsRepository, type NotificationStatus, type WebhookRow } from './notifications.repository.js';
import type { Channel, Rung } from './policy.js';

export const WEBHOOK_SECRET_FIELD = 'webhook-secret';

export interface NotificationView {
  id: string;
  kind: string;
  title: string;
  body: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
}

export interface DeliveryView {
  id: string;
  regencyCode: string;
  channel: Channel;
  recipientUserId: string | null;
  webhookId: string | null;
  escalationId: string | null;
  title: string;
  status: NotificationStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface WebhookView {
  id: string;
  regencyCode: string;
  opdId: string | null;
  url: string;
  active: boolean;
  createdAt: string;
}

const toDelivery = (n: NotificationRow): DeliveryView => ({
  id: n.id,
  regencyCode: n.regencyCode,
  channel: n.channel,
  recipientUserId: n.recipientUserId,
  webhookId: n.webhookId,
  escalationId: n.escalationId,
  title: n.title,
  status: n.status,
  attempts: n.attempts,
  nextAttemptAt: n.nextAttemptAt ? n.nextAttemptAt.toISOString() : null,
  lastError: n.lastError,
  createdAt: n.createdAt.toISOString(),
  sentAt: n.sentAt ? n.sentAt.toISOString() : null,
});

const toWebhook = (w: WebhookRow): WebhookView => ({
  id: w.id,
  regencyCode: w.regencyCode,
  opdId: w.opdId,
  url: w.url,
  active: w.active,
  createdAt: w.createdAt.toISOString(),
});

/**
 * The outbox. Notifications are written in the transaction of what they report; the in-app
 * inbox is this table itself, so those are delivered on commit. Webhooks and e-mail wait for the
 * delivery worker.
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly users: UsersDirectory,
    private readonly opds: OpdsService,
    private readonly cipher: PiiCipher,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The notifications of freshly recorded escalations, in their transaction. */
  async enqueueForEscalations(
    em: EntityManager,
    items: { escalation: FiredEscalation; rung: Rung; title: string; userIds: string[]; emails: string[] }[],
  ): Promise<number> {
    if (!items.length) return 0;
    const contacts = new Map(
      (await this.users.activeContacts(em, [...new Set(items.flatMap((i) => i.userIds))])).map((c) => [c.id, c.email]),
    );
    const webhooks = await this.notifications.activeWebhooks(em, [...new Set(items.map((i) => i.escalation.regencyCode))]);
    const now = this.clock.now();
    const rows: NotificationRow[] = [];
    for (const { escalation: e, rung, title, userIds, emails } of items) {
      const body = {
        type: 'escalation',
        escalationId: e.id,
        level: e.level,
        aggregateType: e.aggregateType,
        aggregateId: e.aggregateId,
        caseId: e.caseId,
        opdId: e.opdId,
        regencyCode: e.regencyCode,
        step: e.step,
        dueAt: e.dueAt.toISOString(),
        firedAt: e.firedAt.toISOString(),
        overdueDays: Math.floor((e.firedAt.getTime() - e.dueAt.getTime()) / 86_400_000),
      };
      const row = (channel: Channel, extra: Partial<NotificationRow>): NotificationRow => ({
        id: randomUUID(),
        regencyCode: e.regencyCode,
        escalationId: e.id,
        channel,
        recipientUserId: null,
        webhookId: null,
        address: null,
        kind: 'escalation',
        title,
        body,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: now,
        lastError: null,
        createdAt: now,
        sentAt: null,
        readAt: null,
        ...extra,
      });
      const reachable = [...new Set(userIds)].filter((id) => contacts.has(id));
      if (rung.channels.includes('inbox')) {
        for (const id of reachable) rows.push(row('inbox', { recipientUserId: id, status: 'sent', nextAttemptAt: null, sentAt: now }));
      }
      if (rung.channels.includes('email') && this.config.smtpUrl) {
        const addresses = new Map<string, string | null>();
        for (const id of reachable) if (contacts.get(id)) addresses.set(contacts.get(id)!, id);
        for (const a of emails) if (!addresses.has(a)) addresses.set(a, null);
        for (const [address, id] of addresses) rows.push(row('email', { recipientUserId: id, address }));
      }
      if (rung.channels.includes('webhook')) {
        for (const w of webhooks) {
          if (w.regencyCode === e.regencyCode && (w.opdId === null || w.opdId === e.opdId)) rows.push(row('webhook', { webhookId: w.id }));
        }
      }
    }
    await this.notifications.insertMany(em, rows);
    return rows.length;
  }

  async inbox(actor: Actor, q: { unread?: 'true' | 'false'; cursor?: string; limit?: number }): Promise<Page<NotificationView>> {
    const limit = pageSize(q.limit);
    const after = decodeCursor(q.cursor, ['string', 'string']) as [string, string] | undefined;
    const rows = await this.notifications.inbox(actor.userId, { unreadOnly: q.unread === 'true', after, limit });
    return toPage(
      rows,
      limit,
      (n) => ({ id: n.id, kind: n.kind, title: n.title, body: n.body, createdAt: n.createdAt.toISOString(), readAt: n.readAt ? n.readAt.toISOString() : null }),
      (n) => [n.createdAt.toISOString(), n.id],
    );
  }

  async markRead(actor: Actor, id: string): Promise<void> {
    if (!(await this.notifications.markRead(id, actor.userId, this.clock.now()))) throw new NotFound('notification');
  }

  async deliveries(actor: Actor, q: { status?: NotificationStatus; channel?: Channel; cursor?: string; limit?: number }): Promise<Page<DeliveryView>> {
    const limit = pageSize(q.limit);
    const after = decodeCursor(q.cursor, ['string', 'string']) as [string, string] | undefined;
    const rows = await this.notifications.deliveries({ regencyCode: regencyScope(actor), status: q.status, channel: q.channel, after, limit });
    return toPage(rows, limit, toDelivery, (n) => [n.createdAt.toISOString(), n.id]);
  }

  async delivery(actor: Actor, id: string): Promise<DeliveryView> {
    const row = await this.notifications.find(id, regencyScope(actor));
    if (!row) throw new NotFound('notification');
    return toDelivery(row);
  }

  async retry(actor: Actor, id: string): Promise<DeliveryView> {
    if (!(await this.notifications.retry(id, regencyScope(actor), this.clock.now()))) {
      const row = await this.notifications.find(id, regencyScope(actor));
      if (!row) throw new NotFound('notification');
      throw ValidationFailed.field('id', `only a dead-lettered delivery can be retried; this one is ${row.status}`);
    }
    return this.delivery(actor, id);
  }

  /** Registers a receiver; the signing secret is shown once, here, and stored encrypted. */
  async createWebhook(actor: Actor, dto: { regencyCode?: string; opdId?: string; url: string }): Promise<WebhookView & { secret: string }> {
    const urlProblem = webhookUrlProblem(dto.url, this.config.webhookAllowedHosts);
    if (urlProblem) throw ValidationFailed.field('url', urlProblem);
    const regencyCode = targetRegency(actor, dto.regencyCode);
    if (!regencyCode) throw ValidationFailed.field('regencyCode', 'is required for a national admin');
    if (dto.opdId) {
      const opds = await this.opds.summaries(this.notifications.manager(), [dto.opdId]);
      if (opds.get(dto.opdId)?.regencyCode !== regencyCode) throw ValidationFailed.field('opdId', `is not an OPD of regency ${regencyCode}`);
    }
    const secret = randomBytes(32).toString('base64url');
    const row: WebhookRow = {
      id: randomUUID(),
      regencyCode,
      opdId: dto.opdId ?? null,
      url: dto.url,
      secretEnc: this.cipher.encrypt(WEBHOOK_SECRET_FIELD, secret),
      active: true,
      createdBy: actor.userId,
      createdAt: this.clock.now(),
    };
    await this.notifications.insertWebhook(row);
    return { ...toWebhook(row), secret };
  }

  async webhooks(actor: Actor): Promise<Page<WebhookView>> {
    return { items: (await this.notifications.webhooks(regencyScope(actor))).map(toWebhook), nextCursor: null };
  }

  async deactivateWebhook(actor: Actor, id: string): Promise<void> {
    if (!(await this.notifications.deactivateWebhook(id, regencyScope(actor)))) throw new NotFound('webhook');
  }
}
