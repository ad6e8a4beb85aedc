import { Inject, Injectable } from '@nestjs/common';
import type { Bundle } from '@medplum/fhirtypes';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { outboundUrlProblem } from './outbound-url.js';

const TIMEOUT_MS = 15_000;
/** A token is renewed this long before the expiry its endpoint announced. */
const EARLY_RENEWAL_MS = 60_000;

export interface Receiver {
  regencyCode: string;
  baseUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
}

/** A failure no retry can mend: the export is dead-lettered at once. */
export class PermanentFailure extends Error {}

/**
 * Talks to a regency's FHIR receiver: an OAuth2 client-credentials token, cached until shortly
 * before it expires (by the injected clock) and fetched anew when the receiver answers 401;
 * a transaction bundle POSTed to the base URL. Messages name status codes only, never what the
 * receiver echoed back, which may carry the identifiers sent.
 */
@Injectable()
export class FhirClient {
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();

  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async sendTransaction(r: Receiver, bundle: Bundle): Promise<void> {
    await this.guard(r.baseUrl, 'the FHIR endpoint');
    const body = JSON.stringify(bundle);
    const post = async (token: string) => {
      const res = await fetch(r.baseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/fhir+json', accept: 'application/fhir+json', authorization: `Bearer ${token}` },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await res.body?.cancel();
      return res.status;
    };
    let status = await post(await this.token(r, false));
    if (status === 401) status = await post(await this.token(r, true));
    if (status >= 200 && status < 300) return;
    if (status === 401) throw new Error('the receiver refused a fresh token (401)');
    if (status >= 500 || status === 408 || status === 429) throw new Error(`the receiver answered ${status}`);
    throw new PermanentFailure(`the receiver refused the bundle (${status})`);
  }

  private async token(r: Receiver, renew: boolean): Promise<string> {
    const key = `${r.regencyCode}|${r.tokenUrl}|${r.clientId}`;
    const cached = this.tokens.get(key);
    const now = this.clock.now().getTime();
    if (!renew && cached && cached.expiresAt - EARLY_RENEWAL_MS > now) return cached.token;
    this.tokens.delete(key);
    await this.guard(r.tokenUrl, 'the token endpoint');
    const res = await fetch(r.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: r.clientId, client_secret: r.clientSecret }).toString(),
      redirect: 'error',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!res.ok) {
      await res.body?.cancel();
      throw new Error(`the token endpoint answered ${res.status}`);
    }
    const json = (await res.json().catch(() => null)) as { access_token?: unknown; expires_in?: unknown } | null;
    const token = typeof json?.access_token === 'string' ? json.access_token : null;
    // SATUSEHAT sends expires_in as a string of seconds.
    const seconds = Number(json?.expires_in ?? 0);
    if (!token) throw new Error('the token endpoint answered without an access_token');
    this.tokens.set(key, { token, expiresAt: now + (Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0) });
    return token;
  }

  private async guard(url: string, what: string): Promise<void> {
    const problem = await outboundUrlProblem(url, this.config.fhirAllowedHosts);
    if (problem) throw new PermanentFailure(`${what} ${problem}`);
  }
}
