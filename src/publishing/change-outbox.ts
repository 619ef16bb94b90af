import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { TenantTransaction } from '../db/tenant-scope.ts';
import type { SiteChange } from './site-version.ts';

/**
 * How long a freshly recorded notice is left to the process that made the change (it delivers
 * right after its commit) before any server may claim it.
 */
export const PUBLISHER_GRACE_MS = 1000;

/** A notice as claimed by a server for delivery. */
export interface ClaimedChange extends SiteChange {
  noticeId: string;
  /** How many times it has been claimed, this time included. */
  attempts: number;
}

/**
 * Records the notice of a change inside the transaction that makes it, so it commits or rolls back
 * with the change. Returns the change carrying its notice id, for the notifier to retire.
 */
export async function recordChange(trx: TenantTransaction, change: SiteChange): Promise<SiteChange> {
  const noticeId = randomUUID();
  await trx
    .insertInto('change_outbox')
    .values({
      tenant_id: change.tenantId,
      id: noticeId,
      site_version: change.siteVersion,
      reason: change.reason.slice(0, 200),
      hostnames: JSON.stringify(change.hostnames ?? []),
      available_at: sql<Date>`clock_timestamp() + make_interval(secs => ${PUBLISHER_GRACE_MS / 1000})`,
    })
    .execute();
  return { ...change, noticeId };
}

/** Claims up to `limit` due notices of any tenant for `leaseMs`; no other server gets them meanwhile. */
export async function claimChanges(db: Kysely<Database>, limit: number, leaseMs: number): Promise<ClaimedChange[]> {
  const { rows } = await sql<{ id: string; tenant_id: string; site_version: string; reason: string; hostnames: string[]; attempts: number }>`
    SELECT * FROM mosaic_claim_changes(${limit}::integer, ${Math.round(leaseMs)}::integer)
  `.execute(db);
  return rows.map((row) => ({
    noticeId: row.id,
    tenantId: row.tenant_id,
    siteVersion: Number(row.site_version),
    reason: row.reason,
    hostnames: row.hostnames,
    attempts: row.attempts,
  }));
}

/** Retires delivered notices. */
export async function finishChanges(db: Kysely<Database>, noticeIds: readonly string[]): Promise<void> {
  if (noticeIds.length === 0) return;
  // Passed as JSON: both pg and the embedded PGlite send it the same way.
  await sql`SELECT mosaic_finish_changes(ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(noticeIds)}::jsonb)::uuid))`.execute(db);
}

/** Notices not yet delivered, and the age of the oldest (seconds). */
export async function changeBacklog(db: Kysely<Database>): Promise<{ pending: number; oldestSeconds: number }> {
  const { rows } = await sql<{ pending: string; oldest_seconds: number }>`SELECT * FROM mosaic_change_backlog()`.execute(db);
  return { pending: Number(rows[0]?.pending ?? 0), oldestSeconds: Number(rows[0]?.oldest_seconds ?? 0) };
}
