import proxyaddr from 'proxy-addr';
import type { ProxyTrust } from '../config/config.ts';

/** The parts of a request that say who sent it. */
export interface PeerInfo {
  /** The socket's peer address. */
  remoteAddress: string | undefined;
  forwardedFor: string | undefined;
  forwardedHost: string | undefined;
  forwardedProto: string | undefined;
}

export interface ClientView {
  /** The client's address: the rightmost address not vouched for by a trusted proxy. */
  client: string;
  /** The host the client asked for, when a trusted proxy says so; null means "use Host". */
  host: string | null;
  /** True when a trusted proxy says the client used HTTPS. */
  secure: boolean;
}

export interface ForwardedReader {
  /** False when no proxy is trusted: forwarded headers are ignored and responses never vary on them. */
  readonly trusting: boolean;
  read(peer: PeerInfo): ClientView;
}

/**
 * Reads `X-Forwarded-For/Host/Proto` only as far as trusted proxies vouch for them. The chain is
 * the socket's peer followed by the `X-Forwarded-For` entries from right to left; each trusted hop
 * (by count or by address range, matched by `proxy-addr`) moves one step along it. The host and
 * scheme are the values the outermost trusted proxy appended, so a value the client sent ahead of
 * them is never taken.
 */
export function createForwardedReader(trust: ProxyTrust): ForwardedReader {
  if (trust.kind === 'none') {
    return { trusting: false, read: (peer) => ({ client: peer.remoteAddress ?? 'unknown', host: null, secure: false }) };
  }
  const trusted = trust.kind === 'hops' ? (_address: string, i: number) => i < trust.hops : proxyaddr.compile(trust.ranges);
  return {
    trusting: true,
    read(peer) {
      const chain = [peer.remoteAddress ?? '', ...list(peer.forwardedFor).reverse()];
      let hops = 0;
      while (hops < chain.length && trusted(chain[hops]!, hops)) hops += 1;
      const client = chain[Math.min(hops, chain.length - 1)] || 'unknown';
      const host = appendedBy(peer.forwardedHost, hops);
      return { client, host, secure: appendedBy(peer.forwardedProto, hops)?.toLowerCase() === 'https' };
    },
  };
}

/** The value the outermost of `hops` trusted proxies added: the `hops`-th from the right. */
function appendedBy(header: string | undefined, hops: number): string | null {
  if (hops === 0 || !header) return null;
  // Empty entries count: an empty host is refused rather than skipped.
  const values = header.split(',').map((v) => v.trim());
  return values[Math.max(0, values.length - hops)]!;
}

const list = (header: string | undefined): string[] =>
  header ? header.split(',').map((v) => v.trim()).filter((v) => v.length > 0) : [];
