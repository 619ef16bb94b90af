import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.ts';

export type TenantTransaction = Transaction<Database>;

/**
 * Runs `work` in its own transaction with the tenant set by `set_config(..., true)` (SET LOCAL),
 * so the setting ends with the transaction and a pooled connection never carries it further.
 * Row-level security then limits every statement to this tenant's rows.
 *
 * Given a transaction instead (a seed that writes every tenant or none), `work` joins it: the
 * tenant is set for `work` and the previous setting restored after it.
 */
export function withTenant<T>(db: Kysely<Database>, tenantId: string, work: (trx: TenantTransaction) => Promise<T>): Promise<T> {
  if (db.isTransaction) return joinTransaction(db as TenantTransaction, tenantId, work);
  return db.transaction().execute(async (trx) => {
    await setTenant(trx, tenantId);
    return work(trx);
  });
}

async function joinTransaction<T>(trx: TenantTransaction, tenantId: string, work: (trx: TenantTransaction) => Promise<T>): Promise<T> {
  const { rows } = await sql<{ previous: string | null }>`SELECT current_setting('mosaic.tenant_id', true) AS previous`.execute(trx);
  const previous = rows[0]?.previous ?? '';
  await setTenant(trx, tenantId);
  let result: T;
  try {
    result = await work(trx);
  } catch (error) {
    // After a failed statement the transaction accepts no more commands and will be rolled back.
    await setTenant(trx, previous).catch(() => undefined);
    throw error;
  }
  await setTenant(trx, previous);
  return result;
}

async function setTenant(trx: TenantTransaction, tenantId: string): Promise<void> {
  await sql`SELECT set_config('mosaic.tenant_id', ${tenantId}, true)`.execute(trx);
}
