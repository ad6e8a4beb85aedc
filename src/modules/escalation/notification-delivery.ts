import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import nodemailer, { type Transporter } from 'nodemailer';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { PiiCipher } from '../../common/crypto/pii-cipher.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { type LeasedNotification, NotificationsRepository } from './notifications.repository.js';
import { WEBHOOK_SECRET_FIELD } from './notifications.service.js';
import { DELIVERY_HEADER, SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './webhook-signature.js';

const LEASE_MS = 5 * 60_000;
const BASE_BACKOFF_MS = 30_000;
const MAX_BACKOFF_MS = 6 * 3600_000;
const SEND_TIMEOUT_MS = 10_000;
const BATCH = 50;

/** A failure no retry can mend: the delivery is dead-lettered at once. */
class PermanentFailure extends Error {}

export interface DeliveryResult {
  sent: number;
  retrying: number;
  dead: number;
}

/**
 * Sends the outbox's webhooks and e-mails. A delivery is leased before it is sent and marked
 * after: a crash in between sends it again after the lease, with the same delivery id, which
 * receivers use to drop the repeat. Failures back off exponentially (30 s doubling, capped at
 * 6 h) until NOTIFICATION_MAX_ATTEMPTS, then the delivery is dead-lettered for an admin to retry.
 */
@Injectable()
export class NotificationDelivery implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NotificationDelivery.name);
  private readonly mailer: Transporter | null;
  private running: Promise<DeliveryResult> | null = null;

  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly cipher: PiiCipher,
    private readonly scheduler: SchedulerRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.mailer = config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : null;
  }

  onApplicationBootstrap(): void {
    const seconds = this.config.notificationDeliveryIntervalSeconds;
    if (seconds === 0) return;
    const timer = setInterval(() => {
      this.deliverDue().catch((e: unknown) => this.logger.error({ kind: (e as Error)?.constructor?.name }, 'notification delivery failed'));
    }, seconds * 1000);
    timer.unref();
    this.scheduler.addInterval('notification-delivery', timer);
  }

  onApplicationShutdown(): void {
    this.mailer?.close();
  }

  /** Sends everything due now; a call while this instance is already sending joins that run. */
  deliverDue(): Promise<DeliveryResult> {
    this.running ??= this.drain().finally(() => (this.running = null));
    return this.running;
  }

  private async drain(): Promise<DeliveryResult> {
    const result: DeliveryResult = { sent: 0, retrying: 0, dead: 0 };
    for (;;) {
      const now = this.clock.now();
      const batch = await this.notifications.lease(now, new Date(now.getTime() + LEASE_MS), BATCH);
      for (const n of batch) {
        try {
          await this.send(n);
          await this.notifications.markSent(n.id, this.clock.now());
          result.sent += 1;
        } catch (e) {
          const reason = e instanceof Error ? e.message : 'failed';
          const dead = e instanceof PermanentFailure || n.attempts >= this.config.notificationMaxAttempts;
          const retryAt = dead ? null : new Date(this.clock.now().getTime() + backoffMs(n.attempts));
          await this.notifications.markFailed(n.id, reason, retryAt);
          if (dead) result.dead += 1;
          else result.retrying += 1;
          this.logger.warn({ deliveryId: n.id, channel: n.channel, attempt: n.attempts, dead }, 'a notification could not be delivered');
        }
      }
      if (batch.length < BATCH) return result;
    }
  }

  private async send(n: LeasedNotification): Promise<void> {
    const payload = { deliveryId: n.id, kind: n.kind, regencyCode: n.regencyCode, title: n.title, body: n.body, createdAt: n.createdAt.toISOString() };
    if (n.channel === 'webhook') {
      if (!n.webhookUrl || !n.webhookSecret) throw new PermanentFailure('the webhook is gone');
      const body = JSON.stringify(payload);
      const timestamp = String(Math.floor(this.clock.now().getTime() / 1000));
      const secret = this.cipher.decrypt(WEBHOOK_SECRET_FIELD, n.webhookSecret);
      const res = await fetch(n.webhookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [DELIVERY_HEADER]: n.id,
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
        },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      });
      await res.body?.cancel();
      if (!res.ok) throw new Error(`the receiver answered ${res.status}`);
      return;
    }
    if (n.channel === 'email') {
      if (!this.mailer) throw new PermanentFailure('SMTP is not configured');
      await this.mailer.sendMail({
        from: this.config.mailFrom,
        to: n.address!,
        subject: n.title,
        text: `${n.title}\n\n${JSON.stringify(n.body, null, 2)}\n`,
        headers: { 'X-Tuntas-Delivery': n.id },
      });
      return;
    }
  }
}

export function backoffMs(attempt: number): number {
  return Math.min(BASE_BACKOFF_MS * 2 ** Math.max(0, attempt - 1), MAX_BACKOFF_MS);
}
