import { normalizeHost } from './normalize-host.ts';

export interface HeaderLookup {
  get(name: string): string | null;
}

export interface RequestHostOptions {
  /** Read `X-Forwarded-Host` (first value) — only when a trusted proxy sets it. */
  trustProxy: boolean;
  /** Development only: `?tenant=<slug>` or `X-Mosaic-Tenant` picks a tenant by slug. */
  allowOverride: boolean;
}

export type RequestHostResult = { ok: true; host: string; override: string | null } | { ok: false; reason: string };

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Picks and normalizes the host a request is for. Never throws. */
export function requestHost(headers: HeaderLookup, url: URL, options: RequestHostOptions): RequestHostResult {
  const forwarded = options.trustProxy ? headers.get('x-forwarded-host') : null;
  const raw = forwarded ? (forwarded.split(',')[0] ?? '').trim() : headers.get('host');
  const host = normalizeHost(raw);
  if (!host.ok) return host;
  if (!options.allowOverride) return { ok: true, host: host.host, override: null };

  const override = url.searchParams.get('tenant') ?? headers.get('x-mosaic-tenant');
  if (override === null) return { ok: true, host: host.host, override: null };
  if (!SLUG.test(override)) return { ok: false, reason: 'invalid tenant override' };
  return { ok: true, host: host.host, override };
}
