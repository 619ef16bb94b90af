import type { MediaContentType } from '../../db/schema.ts';
import type { OperationTx } from '../operation.ts';
import { mediaStoreOf } from './media-view.ts';

/** An image with everything needed to write it elsewhere: its record and its bytes. */
export interface MediaCopy {
  id: string;
  contentType: MediaContentType;
  byteSize: number;
  width: number;
  height: number;
  sha256: string;
  filename: string;
  alt: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  bytes: Buffer;
}

/**
 * A site's images (all, or those in `only`), oldest first, with their bytes from the media store.
 * Runs in the site's row-level-security context; tells `context.progress` of each one read.
 */
export async function readMediaCopies(tx: OperationTx, tenantId: string, what: string, only?: readonly string[]): Promise<MediaCopy[]> {
  if (only && only.length === 0) return [];
  let query = tx.trx.selectFrom('media').selectAll().where('tenant_id', '=', tenantId);
  if (only) query = query.where('id', 'in', [...only]);
  const rows = await query.orderBy('created_at').orderBy('id').execute();
  const copies: MediaCopy[] = [];
  for (const row of rows) {
    const bytes = await mediaStoreOf(tx).get(tx.trx, tenantId, row.id);
    if (!bytes) throw new Error(`Image ${row.id} has no bytes in the media store.`);
    copies.push({
      id: row.id,
      contentType: row.content_type,
      byteSize: row.byte_size,
      width: row.width,
      height: row.height,
      sha256: row.sha256,
      filename: row.filename,
      alt: row.alt,
      createdAt: new Date(row.created_at).toISOString(),
      createdBy: row.created_by,
      updatedAt: new Date(row.updated_at).toISOString(),
      updatedBy: row.updated_by,
      bytes,
    });
    tx.context.progress?.({ what, done: copies.length, total: rows.length });
  }
  return copies;
}

/**
 * Writes an image into a site's library (in its row-level-security context) under `id`, and its
 * bytes to the media store. Ids are unique across sites, and one another site holds is invisible
 * here: then nothing is written and null is returned, for the caller to pick another.
 */
export async function writeMediaCopy(tx: OperationTx, tenantId: string, copy: MediaCopy, id: string): Promise<string | null> {
  const written = await tx.trx
    .insertInto('media')
    .values({
      tenant_id: tenantId,
      id,
      content_type: copy.contentType,
      byte_size: copy.byteSize,
      width: copy.width,
      height: copy.height,
      sha256: copy.sha256,
      filename: copy.filename,
      alt: copy.alt,
      created_at: copy.createdAt,
      created_by: copy.createdBy,
      updated_at: copy.updatedAt,
      updated_by: copy.updatedBy,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!written) return null;
  await mediaStoreOf(tx).put(tx.trx, tenantId, id, copy.bytes);
  return id;
}
