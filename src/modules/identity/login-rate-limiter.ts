import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error.js';
import { NAMED_STATEMENTS_OPTION } from '../../database/prepared.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';

const TABLE = 'rate_limits';

/**
 * Login limits (rate-limiter-flexible), both in one window (LOGIN_RATE_WINDOW_SECONDS):
 * - attempts per client address and username (LOGIN_RATE_LIMIT; a successful login clears it);
 * - failed logins per client address across all usernames (LOGIN_ADDRESS_FAILURE_LIMIT), so
 *   trying one password on many accounts (spraying) meets the ceiling too. A success does not
 *   clear this one: one good account must not reset a sprayer's count.
 * The counters live in PostgreSQL (the `rate_limits` table; RateLimiterPostgres), so every replica
 * of a server deployment counts the same attempts, and a restart forgets none.
 */
@Injectable()
export class LoginRateLimiter {
  private readonly perUser: RateLimiterPostgres;
  private readonly perAddress: RateLimiterPostgres;

  constructor(ds: DataSource, @Inject(APP_CONFIG) config: AppConfig) {
    const { limit, windowSeconds, addressFailures } = config.loginRateLimit;
    // The app's pool; behind a transaction-mode pooler (DB_NAMED_STATEMENTS=false) the library's
    // named statements are sent unnamed, as preparedQuery does.
    const named = (ds.options as { extra?: Record<string, unknown> }).extra?.[NAMED_STATEMENTS_OPTION] !== false;
    const pool = () => (ds.driver as unknown as { master: { query: (q: object) => Promise<unknown> } }).master;
    const storeClient = { query: (q: { name?: string; text: string; values?: unknown[] }) => pool().query(named ? q : { text: q.text, values: q.values }) };
    // The table comes from a migration; the library's own CREATE TABLE is not used.
    const store = { storeClient, storeType: 'pool', tableName: TABLE, tableCreated: true, duration: windowSeconds };
    this.perUser = new RateLimiterPostgres({ ...store, keyPrefix: 'login', points: limit });
    this.perAddress = new RateLimiterPostgres({ ...store, keyPrefix: 'login-failures', points: addressFailures });
  }

  /** Refuses the attempt with 429 when either limit is reached; counts it against its username. */
  async attempt(clientIp: string, username: string): Promise<void> {
    const failures = await this.perAddress.get(key(clientIp));
    if (failures && failures.consumedPoints >= this.perAddress.points) throw limited(failures);
    try {
      await this.perUser.consume(key(clientIp, username.toLowerCase()));
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      throw limited(e);
    }
  }

  /** A failed login counts against the address, whatever username it tried. */
  async failed(clientIp: string): Promise<void> {
    try {
      await this.perAddress.consume(key(clientIp));
    } catch (e) {
      // Over the ceiling already: the next attempt is refused; this one has its 401.
      if (!(e instanceof RateLimiterRes)) throw e;
    }
  }

  async succeeded(clientIp: string, username: string): Promise<void> {
    await this.perUser.delete(key(clientIp, username.toLowerCase()));
  }
}

/** The stored key: a hash, so the table holds no addresses or usernames. */
const key = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('hex');

function limited(r: RateLimiterRes): DomainError {
  const retryAfterSeconds = Math.max(1, Math.ceil(r.msBeforeNext / 1000));
  return new DomainError('RATE_LIMITED', `too many login attempts; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
}
