import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import nodemailer, { type Transporter } from 'nodemailer';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { PiiCipher } from '../../common/crypto/pii-cipher.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { type LeasedNotification, NotificationsRepository } from './notifications.repository.js';
import { WEBHOOK_SECRET_FIELD } from './notifications.service.js';
import { addressForSend, RefusedAddress, RESOLVE_HOST, type ResolveHost } from './webhook-target.js';
import { DELIVERY_HEADER, SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './webhook-signature.js';
import { repeatEvery } from '../../common/schedule/repeat.js';

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
    @Inject(RESOLVE_HOST) private readonly resolveHost: ResolveHost,
  ) {
    this.mailer = config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : null;
  }

  onApplicationBootstrap(): void {
    repeatEvery(this.scheduler, 'notification-delivery', this.config.notificationDeliveryIntervalSeconds, () => this.deliverDue(), {
      logger: this.logger,
      message: 'notification delivery failed',
    });
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
          const reason = reasonOf(e);
          const dead = e instanceof PermanentFailure || e instanceof RefusedAddress || n.attempts >= this.config.notificationMaxAttempts;
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
      const url = new URL(n.webhookUrl);
      const target = await addressForSend(url, this.config.webhookAllowedHosts, this.resolveHost);
      const status = await postPinned(url, target, body, {
        'content-type': 'application/json',
        [DELIVERY_HEADER]: n.id,
        [TIMESTAMP_HEADER]: timestamp,
        [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
      });
      // Redirects are not followed: a 3xx could lead anywhere, inside included.
      if (status >= 300 && status < 400) throw new Error(`the receiver answered ${status} (redirects are not followed)`);
      if (status < 200 || status >= 300) throw new Error(`the receiver answered ${status}`);
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

/** Errors we wrote say what happened; any other (a socket's, a TLS library's) is summarised, so the log never echoes an internal answer. */
function reasonOf(e: unknown): string {
  if (e instanceof RefusedAddress || e instanceof PermanentFailure || e instanceof ReceiverError) return e.message;
  if (e instanceof Error && /^the receiver/.test(e.message)) return e.message;
  return 'could not reach the receiver';
}

class ReceiverError extends Error {}

/**
 * POSTs to the URL, connecting to the already checked address (the host name still goes in the
 * Host header and the TLS server name, so certificates are verified against it). No redirects.
 */
function postPinned(url: URL, target: { address: string; family: number }, body: string, headers: Record<string, string>): Promise<number> {
  const lookup: LookupFunction = (_host, options, callback) => {
    if (options.all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [target]);
    else callback(null, target.address, target.family);
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup, timeout: SEND_TIMEOUT_MS }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new ReceiverError('the receiver did not answer in time')));
    req.on('error', reject);
    req.end(body);
  });
}
