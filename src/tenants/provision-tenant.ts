import { sql, type Kysely } from 'kysely';
import { catalog } from '../../registry/catalog.ts';
import type { Database, TenantPlan, TenantStatus } from '../db/schema.ts';
import { execute, type JoinedTransaction } from '../operations/execute.ts';
import type { OperationContext } from '../operations/operation.ts';
import { createTenant } from '../operations/tenants/create-tenant.ts';
import { replaceTenant } from '../operations/tenants/replace-tenant.ts';
import type { ProvisionResult } from '../operations/tenants/tenant-definition.ts';
import type { SiteChange } from '../publishing/site-version.ts';

export interface TenantDefinition {
  slug: string;
  name: string;
  status: TenantStatus;
  plan: TenantPlan;
  settings: Record<string, unknown>;
  /** A domain routes only when `verified` is true. */
  domains: readonly { hostname: string; primary?: boolean; verified?: boolean }[];
  theme: { preset: string; overrides: Record<string, unknown>; logoUrl?: string | null; faviconUrl?: string | null };
}

export interface PostDefinition {
  slug: string;
  title: string;
  excerpt: string;
  body: string;
  author: string | null;
  publishedAt: string;
}

export interface ProvisionOptions {
  /** Names the system actor the audit trail records, e.g. `seed`. */
  actor: string;
  /** Hostnames under it belong to the platform and cannot be claimed. */
  platformDomain: string;
}

/**
 * Creates or updates a site from its definition through the provisioning operations
 * (`platform.tenant.create` / `platform.tenant.update`), idempotently, as a system actor. Given a
 * transaction, it joins it and announces nothing (the caller does, after its commit); otherwise
 * it runs in its own and returns the change it announced.
 */
export async function provisionTenant(
  db: Kysely<Database>,
  tenant: TenantDefinition,
  posts: readonly PostDefinition[],
  options: ProvisionOptions,
  joined?: JoinedTransaction,
): Promise<ProvisionResult & { change: SiteChange }> {
  const announced: SiteChange[] = [];
  const context: OperationContext = {
    db,
    actor: { kind: 'system', name: options.actor },
    clock: () => new Date(),
    notify: async (change) => void announced.push(change),
    registry: catalog,
    logger: { warn: () => {} },
    clientAddress: null,
    platformDomain: options.platformDomain,
  };
  const exists = (await findTenantId(joined?.trx ?? db, tenant.slug)) !== null;
  const call = { input: { tenant: { ...tenant, domains: [...tenant.domains] }, posts: [...posts] } };
  const result = await execute(context, exists ? replaceTenant : createTenant, call, joined);
  const change = { tenantId: result.tenantId, siteVersion: result.siteVersion, reason: 'provision', hostnames: result.hostnames };
  return { ...result, change: announced.at(-1) ?? change };
}

/** Looks a tenant up by slug through the routing function, which every role with access may call. */
export async function findTenantId(db: Kysely<Database>, slug: string): Promise<string | null> {
  const { rows } = await sql<{ tenant_id: string }>`SELECT tenant_id FROM mosaic_resolve_host(NULL, ${slug})`.execute(db);
  return rows[0]?.tenant_id ?? null;
}
