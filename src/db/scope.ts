import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.ts';

/** What row-level security sees for one transaction. */
export interface DatabaseScope {
  tenantId?: string | null;
  userId?: string | null;
  /** Platform operations only: lets the platform_scope policies through. */
  platform?: boolean;
}

/**
 * Runs `work` in its own transaction with the scope set by `set_config(..., true)` (SET LOCAL), so
 * nothing outlives the transaction on a pooled connection. `withTenant` is the common case.
 */
export function withScope<T>(db: Kysely<Database>, scope: DatabaseScope, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await setScope(trx, scope);
    return work(trx);
  });
}

/** Changes the scope inside an open transaction (a platform operation entering one tenant). */
export async function setScope(trx: Transaction<Database>, scope: DatabaseScope): Promise<void> {
  await sql`
    SELECT set_config('mosaic.tenant_id', ${scope.tenantId ?? ''}, true),
           set_config('mosaic.user_id', ${scope.userId ?? ''}, true),
           set_config('mosaic.platform', ${scope.platform ? 'on' : ''}, true)
  `.execute(trx);
}

/**
 * Runs `work` inside a transaction the caller already holds (a seed that writes every tenant or
 * none) with `scope` set, and puts the caller's scope back afterwards.
 */
export async function joinScope<T>(trx: Transaction<Database>, scope: DatabaseScope, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  const { rows } = await sql<{ tenant: string | null; user: string | null; platform: string | null }>`
    SELECT current_setting('mosaic.tenant_id', true) AS tenant, current_setting('mosaic.user_id', true) AS user,
           current_setting('mosaic.platform', true) AS platform
  `.execute(trx);
  const previous = { tenantId: rows[0]?.tenant || null, userId: rows[0]?.user || null, platform: rows[0]?.platform === 'on' };
  await setScope(trx, scope);
  try {
    return await work(trx);
  } finally {
    // After a failed statement the transaction accepts no more commands and will be rolled back.
    await setScope(trx, previous).catch(() => undefined);
  }
}
