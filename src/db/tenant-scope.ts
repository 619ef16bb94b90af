import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.ts';

export type TenantTransaction = Transaction<Database>;

/**
 * Runs `work` in its own transaction with the tenant set by `set_config(..., true)` (SET LOCAL),
 * so the setting ends with the transaction and a pooled connection never carries it further.
 * Row-level security then limits every statement to this tenant's rows.
 */
export function withTenant<T>(db: Kysely<Database>, tenantId: string, work: (trx: TenantTransaction) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT set_config('mosaic.tenant_id', ${tenantId}, true)`.execute(trx);
    return work(trx);
  });
}
