import type { ErrorName } from '../errors/catalog.ts';
import { isIpLiteral } from '../host/host-kind.ts';
import { normalizeHost } from '../host/normalize-host.ts';

/** Methods HTTP defines. Any other is answered `501`; these, where a route does not take them, `405`. */
export const KNOWN_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);

export type RequestTarget =
  | { ok: true; host: string; path: string }
  | { ok: false; error: ErrorName; reason: string };

const ABSOLUTE = /^https?:\/\//i;

/**
 * The request line's target and the `Host` header(s), checked together: exactly one `Host`, a
 * target in origin form (`/path?query`) or in absolute form naming that same host. Returns the
 * raw host and the origin-form path. Never throws.
 */
export function readRequestTarget(target: string, hosts: readonly string[]): RequestTarget {
  if (hosts.length !== 1) return fail('BadHost', hosts.length === 0 ? 'missing host' : 'more than one Host header');
  const host = hosts[0]!;
  if (target.startsWith('/')) return { ok: true, host, path: target };
  if (!ABSOLUTE.test(target)) return fail('BadRequest', 'request target is neither a path nor an absolute URL');
  const start = target.indexOf('//') + 2;
  const end = target.slice(start).search(/[/?#]/);
  const authority = end === -1 ? target.slice(start) : target.slice(start, start + end);
  const rest = end === -1 ? '/' : target.slice(start + end);
  const named = hostName(authority);
  if (named === null || named !== hostName(host)) return fail('BadRequest', 'absolute-form target disagrees with Host');
  return { ok: true, host, path: rest.startsWith('/') ? rest : `/${rest}` };
}

/** The host a `Host`-style value names, without its port; null when it names none. */
function hostName(raw: string): string | null {
  if (isIpLiteral(raw)) return raw.startsWith('[') ? raw.slice(0, raw.indexOf(']') + 1) : raw.split(':')[0]!;
  const host = normalizeHost(raw);
  return host.ok ? host.host : null;
}

const fail = (error: ErrorName, reason: string): RequestTarget => ({ ok: false, error, reason });
