import { z } from 'zod';

const hostname = z.string().regex(/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, 'must be a lower-case domain name');
const assetPath = z.string().regex(/^\/[a-z0-9/_.-]+\.(svg|png|ico|webp)$/, 'must be a site path to an image');

/** `tenants/<slug>/tenant.json`: one site's record, domains and theme choice. */
export const tenantFileSchema = z
  .strictObject({
    slug: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/),
    name: z.string().min(1).max(200),
    status: z.enum(['trial', 'active', 'suspended', 'cancelled']),
    plan: z.enum(['free', 'starter', 'pro', 'enterprise']),
    settings: z.record(z.string(), z.unknown()).default({}),
    domains: z
      .array(z.strictObject({ hostname, primary: z.boolean().optional(), verified: z.boolean().optional() }))
      .max(20)
      .default([]),
    theme: z.strictObject({
      preset: z.string(),
      overrides: z.record(z.string(), z.unknown()).default({}),
      logoUrl: assetPath.nullable().optional(),
      faviconUrl: assetPath.nullable().optional(),
    }),
  })
  .refine((t) => t.domains.filter((d) => d.primary).length <= 1, { message: 'at most one primary domain', path: ['domains'] });

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
