import type { TenantPlan, TenantStatus } from '../db/schema.ts';

/** Where a normalized host points, before any tenant data is read. */
export interface HostMatch {
  tenantId: string;
  via: 'domain' | 'platform';
  isPrimary: boolean;
  primaryHostname: string | null;
}

export interface TenantRecord {
  id: string;
  slug: string;
  name: string;
  status: TenantStatus;
  plan: TenantPlan;
  /** Per-tenant changes to the plan (see `resolvePlan`). */
  planOverrides: Record<string, unknown>;
  settings: Record<string, unknown>;
  siteVersion: number;
  primaryHostname: string | null;
}

export interface ThemeRecord {
  preset: string;
  overrides: Record<string, unknown>;
  logoUrl: string | null;
  faviconUrl: string | null;
}

export interface PostRecord {
  slug: string;
  title: string;
  excerpt: string;
  body: string;
  author: string | null;
  publishedAt: string;
}

/** A published page as the sitemap lists it. */
export interface PublishedPath {
  path: string;
  publishedAt: string;
}
