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
