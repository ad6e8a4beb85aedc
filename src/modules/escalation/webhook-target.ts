import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Resolves a host name to every address it has (dns.lookup with `all`); injectable for tests. */
export type ResolveHost = (hostname: string) => Promise<{ address: string; family: number }[]>;
export const RESOLVE_HOST = Symbol('RESOLVE_HOST');
export const resolveWithDns: ResolveHost = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** What the delivery log says of a receiver on a private address: never what that address answered. */
export const REFUSED_PRIVATE = 'refused: private address';

/**
 * True for an address on the public internet: global unicast. Loopback, private, link-local
 * (169.254.169.254, the cloud metadata service), carrier-grade NAT, multicast, broadcast,
 * unspecified, documentation and other reserved ranges are not; IPv4 inside IPv6 (::ffff:a.b.c.d)
 * is judged as the IPv4 address, and the IPv6 forms that carry an IPv4 address onward
 * (NAT64, 6to4, Teredo) are refused, since the address they reach cannot be checked here.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}

/** The URL's host as compared with the allow-list: lower-case, without IPv6 brackets or a final dot. */
export function hostOf(url: URL): string {
  return url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

const isLocalName = (host: string) => host === 'localhost' || host.endsWith('.localhost') || host === 'localhost.localdomain';

/**
 * Why a webhook URL may not be registered, or null. https only, unless its host is in
 * WEBHOOK_ALLOWED_HOSTS; no user name or password in it (secrets belong in the signing secret);
 * and no address, or `localhost`, that leads inside. A name is checked again, resolved, at every send.
 */
export function webhookUrlProblem(raw: string, allowedHosts: readonly string[]): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an http(s) URL';
  }
  const host = hostOf(url);
  const allowed = allowedHosts.includes(host);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowed)) {
    return url.protocol === 'http:' ? `must use https (plain http only for hosts in WEBHOOK_ALLOWED_HOSTS)` : 'must be an https URL';
  }
  if (url.username || url.password) return 'must not contain a user name or password';
  if (allowed) return null;
  if (isLocalName(host)) return 'must not point at localhost';
  if (isIP(host) && !isPublicAddress(host)) return 'must not point at a loopback, private, link-local or otherwise internal address';
  return null;
}

/**
 * The address to connect to for a webhook's host, checked at send time: every address the name
 * resolves to must be public (a name can be re-pointed after registration), unless the host is
 * allow-listed. Throws REFUSED_PRIVATE otherwise. The caller connects to the address returned, so
 * the check and the connection see the same address.
 */
export async function addressForSend(url: URL, allowedHosts: readonly string[], resolve: ResolveHost): Promise<{ address: string; family: number }> {
  const host = hostOf(url);
  const allowed = allowedHosts.includes(host);
  if (isIP(host)) {
    if (!allowed && !isPublicAddress(host)) throw new RefusedAddress();
    return { address: host, family: isIP(host) };
  }
  if (!allowed && isLocalName(host)) throw new RefusedAddress();
  const addresses = await resolve(host);
  if (!addresses.length) throw new Error('the receiver’s name does not resolve');
  if (!allowed && addresses.some((a) => !isPublicAddress(a.address))) throw new RefusedAddress();
  return addresses[0];
}

export class RefusedAddress extends Error {
  constructor() {
    super(REFUSED_PRIVATE);
  }
}
