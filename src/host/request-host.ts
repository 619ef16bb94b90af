import { normalizeHost } from './normalize-host.ts';

/** The one method of `Headers` this module needs. */
export interface HeaderLookup {
  get(name: string): string | null;
}

export interface RequestHostOptions {
  /** Read the first value of `X-Forwarded-Host`, falling back to `Host` — only behind a trusted proxy. */
  trustProxy: boolean;
  /** Development only: `?tenant=<slug>` (first) or `X-Mosaic-Tenant` picks a tenant by slug. */
  allowOverride: boolean;
}

export type RequestHostResult = { ok: true; host: string; override: string | null } | { ok: false; reason: string };

/** A tenant slug: one DNS label, lower-case. */
export const TENANT_SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Picks and normalizes the host a request is for, plus any allowed tenant override. A bad host
 * or a malformed override is a failure, never a silent fallback. Never throws.
 */
export function requestHost(headers: HeaderLookup, url: URL, options: RequestHostOptions): RequestHostResult {
  const forwarded = options.trustProxy ? headers.get('x-forwarded-host') : null;
  const raw = forwarded ? (forwarded.split(',')[0] ?? '').trim() : headers.get('host');
  const host = normalizeHost(raw);
  if (!host.ok) return host;
  if (!options.allowOverride) return { ok: true, host: host.host, override: null };

  const override = url.searchParams.get('tenant') ?? headers.get('x-mosaic-tenant');
  if (override === null) return { ok: true, host: host.host, override: null };
  if (!TENANT_SLUG.test(override)) return { ok: false, reason: 'invalid tenant override' };
  return { ok: true, host: host.host, override };
}
