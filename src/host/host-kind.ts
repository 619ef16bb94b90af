import { isIP } from 'node:net';
import { normalizeHost } from './normalize-host.ts';

/** What a request's host names, decided before anything else is looked at. */
export type HostKind =
  | { kind: 'site'; host: string }
  | { kind: 'admin' }
  | { kind: 'internal' }
  | { kind: 'bad'; reason: string };

const ADMIN: HostKind = { kind: 'admin' };
const INTERNAL: HostKind = { kind: 'internal' };
const PORT = /^:[0-9]{1,5}$/;
const validPort = (suffix: string): boolean => PORT.test(suffix) && Number(suffix.slice(1)) >= 1 && Number(suffix.slice(1)) <= 65535;

/**
 * `site`: any well-formed DNS name except the admin host (whether a tenant lives there is decided
 * later); `admin`: exactly `adminHost`; `internal`: an IP literal, which is how load balancers and
 * container health checks address a server. Anything else is `bad`. Never throws.
 */
export function classifyHost(raw: string | null | undefined, adminHost: string): HostKind {
  if (typeof raw !== 'string') return { kind: 'bad', reason: 'missing host' };
  if (adminHost !== memoAdmin) {
    memo.clear();
    memoAdmin = adminHost;
  }
  let kind = memo.get(raw);
  if (!kind) {
    // Full: start over only when a new name must go in, so known names keep their answers.
    if (memo.size >= MEMO_HOSTS) memo.clear();
    memo.set(raw, (kind = classify(raw, adminHost)));
  }
  return kind;
}

// Every request's host is classified, mostly the same few thousand names: each answer is kept
// (the memo starts over past this many, or when asked about another admin host). As many as the
// site memo keeps (`createKnownSites`), so the 10,000-tenant benchmark never starts over.
export const MEMO_HOSTS = 20_000;
const memo = new Map<string, HostKind>();
let memoAdmin = '';

function classify(raw: string, adminHost: string): HostKind {
  if (isIpLiteral(raw)) return INTERNAL;
  const host = normalizeHost(raw);
  if (!host.ok) return { kind: 'bad', reason: host.reason };
  return host.host === adminHost ? ADMIN : { kind: 'site', host: host.host };
}

/** `127.0.0.1`, `10.0.0.5:4321`, `[::1]`, `[fd00::1]:4321`: the canonical forms only. */
export function isIpLiteral(raw: string): boolean {
  if (raw.startsWith('[')) {
    const end = raw.indexOf(']');
    const rest = raw.slice(end + 1);
    return end > 0 && isIP(raw.slice(1, end)) === 6 && (rest === '' || validPort(rest));
  }
  const colon = raw.indexOf(':');
  if (colon === -1) return isIP(raw) === 4;
  return isIP(raw.slice(0, colon)) === 4 && validPort(raw.slice(colon));
}
