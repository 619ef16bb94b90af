import { z } from 'zod';
import { normalizeHost } from '../host/normalize-host.ts';
import { assetUrlSchema } from '../validation/asset-url.ts';

// Stored exactly as a browser's Host header normalizes, or the domain would never route.
const hostname = z
  .string()
  .regex(/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, 'must be a lower-case domain name')
  .refine((h) => {
    const normalized = normalizeHost(h);
    return normalized.ok && normalized.host === h;
  }, 'must be a domain name a browser can send (not an IP address)');

/** A tenant's slug: also its `<slug>.<platform domain>` label, so a DNS label. */
export const tenantSlugSchema = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'must be lower-case letters, digits and hyphens');

/** `tenants/<slug>/tenant.json`: one site's record, domains and theme choice. */
export const tenantFileSchema = z
  .strictObject({
    slug: tenantSlugSchema,
    name: z.string().min(1).max(200),
    status: z.enum(['trial', 'active', 'suspended', 'cancelled']),
    plan: z.enum(['free', 'starter', 'pro', 'enterprise']),
    settings: z.record(z.string(), z.unknown()).default({}),
    domains: z
      /** A domain routes only once verified: unverified unless the file says `"verified": true`. */
      .array(z.strictObject({ hostname, primary: z.boolean().optional(), verified: z.boolean().optional() }))
      .max(20)
      .default([]),
    theme: z.strictObject({
      preset: z.string(),
      overrides: z.record(z.string(), z.unknown()).default({}),
      logoUrl: assetUrlSchema.nullable().optional(),
      faviconUrl: assetUrlSchema.nullable().optional(),
    }),
  })
  .refine((t) => t.domains.filter((d) => d.primary).length <= 1, { message: 'at most one primary domain', path: ['domains'] })
  .refine((t) => new Set(t.domains.map((d) => d.hostname)).size === t.domains.length, { message: 'a hostname is listed twice', path: ['domains'] });

/** `tenants/<slug>/posts.json`: the tenant's blog posts. */
export const postsFileSchema = z.array(
  z.strictObject({
    slug: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,118}[a-z0-9])?$/),
    title: z.string().min(1).max(200),
    excerpt: z.string().max(500),
    body: z.string().max(50_000),
    author: z.string().max(120).nullable(),
    publishedAt: z.iso.datetime({ offset: true }),
  }),
);

export type TenantFile = z.infer<typeof tenantFileSchema>;
