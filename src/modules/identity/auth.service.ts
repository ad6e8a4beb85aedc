import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { type Actor, actorOf } from './actor.js';
import { AuthCache } from './auth-cache.js';
import { LoginRateLimiter } from './login-rate-limiter.js';
import { PasswordHasher } from './password-hasher.js';
import { AuditService } from '../audit/audit.service.js';
import { UsersRepository } from './users.repository.js';

interface TokenClaims {
  sub: string;
  /** The user's token_version when issued: disabling or re-roling a user bumps it, ending old tokens. */
  tv: number;
  iat: number;
  exp: number;
}

/** Tokens whose claims are kept verified; past this the map starts again (a flood of forged tokens never enters it). */
const VERIFIED_TOKENS_KEPT = 10_000;

const unauthenticated = (message: string) => new DomainError('UNAUTHENTICATED', message);

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly jwt: JwtService,
    private readonly limiter: LoginRateLimiter,
    private readonly cache: AuthCache,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** One answer for an unknown user, a wrong password and a disabled account. */
  async login(username: string, password: string, clientIp: string, requestId?: string): Promise<{ accessToken: string; expiresIn: number }> {
    await this.limiter.attempt(clientIp, username);
    const user = await this.users.findByUsername(username.toLowerCase());
    const ok = await this.hasher.verify(user?.passwordHash, password);
    const actor = user ? { userId: user.id, role: user.role, regencyCode: user.regencyCode } : null;
    if (!user || !ok || !user.active) {
      const reason = !user ? 'unknown user' : !ok ? 'wrong password' : 'disabled';
      await this.limiter.failed(clientIp);
      await this.audit.record({ actor, action: 'login.failure', requestId, details: { username: username.slice(0, 64), reason, ip: clientIp } });
      throw unauthenticated('wrong username or password');
    }
    await this.limiter.succeeded(clientIp, username);
    await this.audit.record({ actor, action: 'login.success', requestId, details: { ip: clientIp } });
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const claims: TokenClaims = { sub: user.id, tv: user.tokenVersion, iat, exp: iat + this.config.jwtTtlSeconds };
    return { accessToken: await this.jwt.signAsync(claims), expiresIn: this.config.jwtTtlSeconds };
  }

  /**
   * A token's verified claims, by the token itself: a signature checked once stays good until
   * the token expires (the secret does not change while the process runs), so repeat requests
   * skip the HMAC and JSON work. Expiry is still checked on every use; the user is still read.
   */
  private readonly verified = new Map<string, TokenClaims>();

  /** Verifies a bearer token and reloads its user, so a disabled user is refused at once. */
  async authenticate(token: string): Promise<Actor> {
    const nowSeconds = Math.floor(this.clock.now().getTime() / 1000);
    let claims = this.verified.get(token);
    if (claims !== undefined) {
      if (nowSeconds >= claims.exp) {
        this.verified.delete(token);
        throw unauthenticated('the token has expired');
      }
    } else {
      try {
        claims = await this.jwt.verifyAsync<TokenClaims>(token, { algorithms: ['HS256'], clockTimestamp: nowSeconds });
      } catch (e) {
        throw unauthenticated((e as Error).name === 'TokenExpiredError' ? 'the token has expired' : 'the token is not valid');
      }
      if (typeof claims.sub !== 'string' || !/^[0-9a-f-]{36}$/i.test(claims.sub)) throw unauthenticated('the token is not valid');
      if (this.verified.size >= VERIFIED_TOKENS_KEPT) this.verified.clear();
      this.verified.set(token, claims);
    }
    let user = this.cache.get(claims.sub);
    if (!user) {
      user = (await this.users.findForAuth(claims.sub)) ?? undefined;
      if (user) this.cache.set(user);
    }
    if (!user || !user.active || user.tokenVersion !== claims.tv) throw unauthenticated('the token is no longer valid');
    return actorOf(user);
  }
}
