import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

/**
 * Where the original bytes of a site's images live. The operations call it inside their
 * transaction, in the tenant's row-level-security context. Postgres is the default, so every
 * instance reads the same bytes; an object store would implement the same three calls (its
 * `put` before the row commits, its `delete` after).
 */
export interface MediaStore {
  put(trx: Transaction<Database>, tenantId: string, mediaId: string, bytes: Buffer): Promise<void>;
  /** Null when the tenant has no such image. */
  get(trx: Transaction<Database>, tenantId: string, mediaId: string): Promise<Buffer | null>;
  delete(trx: Transaction<Database>, tenantId: string, mediaId: string): Promise<void>;
}

/** The bytes in the `media_blobs` table, beside their row in `media`. */
export const postgresMediaStore: MediaStore = {
  async put(trx, tenantId, mediaId, bytes) {
    await trx.insertInto('media_blobs').values({ tenant_id: tenantId, media_id: mediaId, bytes }).execute();
  },
  async get(trx, tenantId, mediaId) {
    const row = await trx.selectFrom('media_blobs').select('bytes').where('tenant_id', '=', tenantId).where('media_id', '=', mediaId).executeTakeFirst();
    return row?.bytes ?? null;
  },
  async delete(trx, tenantId, mediaId) {
    await trx.deleteFrom('media_blobs').where('tenant_id', '=', tenantId).where('media_id', '=', mediaId).execute();
  },
};
