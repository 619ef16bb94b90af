/** A tenant slug: one DNS label, lower-case. */
export const TENANT_SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export type TenantOverride = { ok: true; slug: string | null } | { ok: false; reason: string };

const NONE: TenantOverride = { ok: true, slug: null };

/**
 * Development only: `?tenant=<slug>` (first) or `X-Mosaic-Tenant` picks a tenant by slug,
 * whatever the host. Outside development both are ignored. A malformed override is a failure,
 * never a silent fallback. Never throws.
 */
export function tenantOverride(allowed: boolean, query: () => string | null, header: () => string | null): TenantOverride {
  if (!allowed) return NONE;
  const slug = query() ?? header();
  if (slug === null) return NONE;
  return TENANT_SLUG.test(slug) ? { ok: true, slug } : { ok: false, reason: 'invalid tenant override' };
}
