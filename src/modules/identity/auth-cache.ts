import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import pg from 'pg';
import type { EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import type { AuthRecord } from './users.repository.js';

const CHANNEL = 'tuntas_user_changed';
const RECONNECT_MS = 2_000;

/**
 * Keeps the user rows that bearer tokens are checked against, so a request does not read its
 * user every time. A change to a user (disable, role, password) evicts the entry at once: in
 * this process directly, and in every other replica through PostgreSQL LISTEN/NOTIFY, which is
 * sent in the changing transaction and so arrives only if it commits. While the listening
 * connection is down the cache is bypassed, so a missed notification can never keep a disabled
 * user in. The TTL bounds staleness for changes made outside the service (plain SQL).
 */
@Injectable()
export class AuthCache implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(AuthCache.name);
  private readonly entries = new Map<string, { record: AuthRecord; until: number }>();
  private listener: pg.Client | undefined;
  private listening = false;
  private closed = false;
  private reconnect: NodeJS.Timeout | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Embedded mode has one process: nothing else can change a user behind its back. */
  private get usable(): boolean {
    return this.config.authCacheSeconds > 0 && (this.config.database.mode === 'embedded' || this.listening);
  }

  async onModuleInit(): Promise<void> {
    if (this.config.database.mode === 'server' && this.config.authCacheSeconds > 0) await this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnect);
    await this.listener?.end().catch(() => undefined);
  }

  get(id: string): AuthRecord | undefined {
    if (!this.usable) return undefined;
    const hit = this.entries.get(id);
    if (hit && hit.until > this.clock.now().getTime()) return hit.record;
    this.entries.delete(id);
    return undefined;
  }

  set(record: AuthRecord): void {
    if (!this.usable) return;
    if (this.entries.size > 50_000) this.entries.clear();
    this.entries.set(record.id, { record, until: this.clock.now().getTime() + this.config.authCacheSeconds * 1000 });
  }

  /** Call in the transaction that changes a user: evicts here now, and everywhere on commit. */
  async changed(em: EntityManager, id: string): Promise<void> {
    this.entries.delete(id);
    await em.query('SELECT pg_notify($1, $2)', [CHANNEL, id]);
  }

  private async listen(): Promise<void> {
    if (this.config.database.mode !== 'server') return;
    // Its own session straight to the primary: a transaction-mode pooler cannot hold a LISTEN.
    const client = new pg.Client({ connectionString: this.config.database.directUrl });
    client.on('notification', (n) => {
      if (n.payload) this.entries.delete(n.payload);
    });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      this.listener = client;
      this.listening = true;
    } catch {
      this.lost(client);
    }
  }

  private lost(client: pg.Client): void {
    if (this.listener && this.listener !== client) return;
    this.listening = false;
    this.entries.clear();
    this.listener = undefined;
    client.end().catch(() => undefined);
    if (this.closed || this.reconnect) return;
    this.logger.warn('user-change listener lost; checking every token against the database until it is back');
    this.reconnect = setTimeout(() => {
      this.reconnect = undefined;
      void this.listen();
    }, RECONNECT_MS);
    this.reconnect.unref();
  }
}
