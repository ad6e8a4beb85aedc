import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Addresses a receiver may not be on unless its host is allowed: loopback, private, link-local, CGNAT, multicast, unspecified. */
const PRIVATE = new BlockList();
for (const [net, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.168.0.0', 16], ['224.0.0.0', 3]] as const) PRIVATE.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 127], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) PRIVATE.addSubnet(net, prefix, 'ipv6');

function isPrivate(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1], 'ipv4');
  return PRIVATE.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/**
 * Why `raw` may not be called, or null: it must be https and resolve to public addresses only,
 * unless its host (or host:port) is in `allowed`. Checked when the setting is saved and again
 * before every send, since a name can come to point elsewhere.
 */
export async function outboundUrlProblem(raw: string, allowed: readonly string[]): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a URL';
  }
  if (url.username || url.password) return 'must not carry credentials';
  const host = url.hostname.toLowerCase();
  if (allowed.includes(host) || allowed.includes(url.host.toLowerCase())) return url.protocol === 'https:' || url.protocol === 'http:' ? null : 'must be http(s)';
  if (url.protocol !== 'https:') return 'must be https (or its host listed in FHIR_ALLOWED_HOSTS)';
  const bare = host.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(bare) ? [bare] : (await lookup(bare, { all: true })).map((a) => a.address);
  } catch {
    return 'names a host that does not resolve';
  }
  if (addresses.some(isPrivate)) return 'resolves to a private or loopback address (list the host in FHIR_ALLOWED_HOSTS to allow it)';
  return null;
}
