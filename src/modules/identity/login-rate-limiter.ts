import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { DomainError } from '../../common/errors/domain-error.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';

/**
 * Login attempts per client address and username (rate-limiter-flexible). A successful login
 * clears the count. In-process for now: each replica counts on its own.
 */
@Injectable()
export class LoginRateLimiter {
  private readonly limiter: RateLimiterMemory;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.limiter = new RateLimiterMemory({ points: config.loginRateLimit.limit, duration: config.loginRateLimit.windowSeconds });
  }

  async attempt(clientIp: string, username: string): Promise<void> {
    try {
      await this.limiter.consume(this.key(clientIp, username));
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      const retryAfterSeconds = Math.ceil(e.msBeforeNext / 1000);
      throw new DomainError('RATE_LIMITED', `too many login attempts; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
    }
  }

  async succeeded(clientIp: string, username: string): Promise<void> {
    await this.limiter.delete(this.key(clientIp, username));
  }

  private key(clientIp: string, username: string): string {
    return `${clientIp}|${username.toLowerCase()}`;
  }
}
