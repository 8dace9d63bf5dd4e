import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { WebhookError } from './webhook.errors.js';

/** Why an address may not be called from idgraph's network position (SSRF). */
export type RefusedClass = 'loopback' | 'private' | 'link-local' | 'multicast' | 'unspecified' | 'reserved';

/** Whether plain `http` and loopback targets are allowed (development and tests only). @default false */
export interface UrlPolicy {
  allowHttpAndLoopback: boolean;
}

/** Resolves a host name to all its addresses (`dns.lookup` with `all`; tests substitute their own answers). */
export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

/** A URL checked for delivery: the address it resolved to once, which is the one that will be connected to. */
export interface ResolvedUrl {
  url: URL;
  address: string;
  family: 4 | 6;
}

/** Address ranges by class: RFC 6890 special-purpose registries (IPv4 and IPv6). */
const RANGES: [RefusedClass, 'ipv4' | 'ipv6', string, number][] = [
  ['unspecified', 'ipv4', '0.0.0.0', 8],
  ['unspecified', 'ipv6', '::', 128],
  ['loopback', 'ipv4', '127.0.0.0', 8],
  ['loopback', 'ipv6', '::1', 128],
  ['private', 'ipv4', '10.0.0.0', 8],
  ['private', 'ipv4', '172.16.0.0', 12],
  ['private', 'ipv4', '192.168.0.0', 16],
  // Carrier-grade NAT (RFC 6598) and IETF protocol assignments: inside someone's network, never a partner's backend.
  ['private', 'ipv4', '100.64.0.0', 10],
  ['private', 'ipv4', '192.0.0.0', 24],
  ['private', 'ipv6', 'fc00::', 7],
  ['link-local', 'ipv4', '169.254.0.0', 16],
  ['link-local', 'ipv6', 'fe80::', 10],
  ['multicast', 'ipv4', '224.0.0.0', 4],
  ['multicast', 'ipv6', 'ff00::', 8],
  ['reserved', 'ipv4', '240.0.0.0', 4],
  ['reserved', 'ipv4', '198.18.0.0', 15],
  ['reserved', 'ipv6', '2001:db8::', 32],
];
const LISTS = new Map<RefusedClass, BlockList>();
for (const [kind, family, network, prefix] of RANGES) {
  let list = LISTS.get(kind);
  if (!list) LISTS.set(kind, (list = new BlockList()));
  list.addSubnet(network, prefix, family);
}

/** `::ffff:10.0.0.1` (IPv4-mapped) is 10.0.0.1: classified, and connected to, as the IPv4 address it is. */
function unmapped(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  // The hexadecimal spelling of the same thing (`::ffff:a00:1`).
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex) {
    const [hi, lo] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16)];
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return address;
}

/** The class of an IP address idgraph refuses to call, or null for a public address. */
export function refusedClass(address: string): RefusedClass | null {
  const plain = unmapped(address);
  const family = isIP(plain) === 6 ? 'ipv6' : 'ipv4';
  for (const [kind, list] of LISTS) if (list.check(plain, family)) return kind;
  return null;
}

/** Checks what can be checked without the network: scheme, credentials, an IP-literal host. */
export function checkUrlSyntax(raw: string, policy: UrlPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookError('WEBHOOK_URL_REFUSED', 'not a valid URL', { refusal: 'INVALID_URL' });
  }
  if (raw.length > 2048) throw new WebhookError('WEBHOOK_URL_REFUSED', 'the URL exceeds 2048 characters', { refusal: 'INVALID_URL' });
  if (url.protocol !== 'https:' && !(policy.allowHttpAndLoopback && url.protocol === 'http:')) {
    throw new WebhookError('WEBHOOK_URL_REFUSED', 'the URL must use https', { refusal: 'NOT_HTTPS' });
  }
  if (url.username || url.password) throw new WebhookError('WEBHOOK_URL_REFUSED', 'the URL must not carry credentials', { refusal: 'CREDENTIALS_IN_URL' });
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) refuseAddress(host, policy);
  else if (!policy.allowHttpAndLoopback && (host === 'localhost' || host.endsWith('.localhost'))) {
    throw new WebhookError('WEBHOOK_URL_REFUSED', 'localhost is a loopback address', { refusal: 'loopback' });
  }
  return url;
}

/**
 * Resolves the URL's host once and refuses it when ANY of its addresses is of a refused class (a name answering
 * both a public and a private address is how rebinding attacks start). The caller connects to `address` itself,
 * never resolving the name again, so the answer checked is the answer used.
 */
export async function resolveUrl(raw: string, policy: UrlPolicy, resolve: Resolver = (host) => lookup(host, { all: true, verbatim: true })): Promise<ResolvedUrl> {
  const url = checkUrlSyntax(raw, policy);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: number }[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      throw new WebhookError('WEBHOOK_URL_REFUSED', `the host ${host} does not resolve`, { refusal: 'UNRESOLVABLE' });
    }
  }
  if (addresses.length === 0) throw new WebhookError('WEBHOOK_URL_REFUSED', `the host ${host} does not resolve`, { refusal: 'UNRESOLVABLE' });
  for (const a of addresses) refuseAddress(a.address, policy);
  const address = unmapped(addresses[0]!.address);
  return { url, address, family: isIP(address) === 6 ? 6 : 4 };
}

function refuseAddress(address: string, policy: UrlPolicy): void {
  const kind = refusedClass(address);
  if (!kind || (kind === 'loopback' && policy.allowHttpAndLoopback)) return;
  throw new WebhookError('WEBHOOK_URL_REFUSED', `the URL resolves to a ${kind} address (${address}): idgraph calls public addresses only`, { refusal: kind, address });
}
