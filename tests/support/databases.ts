import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { expect, inject } from 'vitest';
import { createPostgresDatabase } from '../../src/db/postgres-database.ts';
import type { Database } from '../../src/db/schema.ts';
import { provisionTenant, type PostDefinition, type TenantDefinition } from '../../src/tenants/provision-tenant.ts';

/** Connections to the suite's real test database: as the owner and as the app role. */
export function openTestDatabases(poolSize = 4): { admin: Kysely<Database>; app: Kysely<Database>; close(): Promise<void> } {
  const admin = createPostgresDatabase(inject('adminDatabaseUrl'), poolSize);
  const app = createPostgresDatabase(inject('appDatabaseUrl'), poolSize);
  return { admin, app, close: async () => void (await Promise.all([admin.destroy(), app.destroy()])) };
}

export const uniqueSlug = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;

/** Creates a tenant with a unique slug (and `<slug>.test` as its verified primary domain unless told otherwise). */
export async function createTestTenant(
  admin: Kysely<Database>,
  overrides: Partial<TenantDefinition> = {},
  posts: PostDefinition[] = [],
): Promise<{ id: string; slug: string }> {
  const slug = overrides.slug ?? uniqueSlug('t');
  const definition: TenantDefinition = {
    slug,
    name: `Tenant ${slug}`,
    status: 'active',
    plan: 'starter',
    settings: {},
    domains: [{ hostname: `${slug}.test`, primary: true, verified: true }],
    theme: { preset: 'ocean', overrides: {} },
    ...overrides,
  };
  const { tenantId } = await provisionTenant(admin, definition, posts, { actor: 'test', platformDomain: 'localhost' });
  return { id: tenantId, slug };
}

export interface LockHolder {
  /** Resolves once `count` other sessions wait for a lock this one holds (10 s at most). */
  blocking(count: number): Promise<void>;
}

/**
 * The backend id of the connection running `trx`, and a wait until `count` other sessions wait
 * for a lock it holds: how a test orders two transactions without sleeping.
 */
export async function lockHolder(trx: Transaction<Database>, observer: Kysely<Database>): Promise<LockHolder> {
  const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
  const pid = rows[0]!.pid;
  const waiting = async () =>
    (await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where ${pid} = any(pg_blocking_pids(pid))`.execute(observer)).rows[0]!.n;
  return { blocking: (count) => expect.poll(waiting, { timeout: 10_000 }).toBe(count) };
}
