import type { MediaContentType } from '../../db/schema.ts';
import type { OperationTx } from '../operation.ts';
import { mediaStoreOf } from './media-view.ts';

/** An image's record, as another site would take it: enough to count it against a plan before any bytes are read. */
export interface MediaRecord {
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
}

/** An image with everything needed to write it elsewhere: its record and its bytes. */
export interface MediaCopy extends MediaRecord {
  bytes: Buffer;
}

/** A site's image records (all, or those in `only`), oldest first; runs in the site's row-level-security context. */
export async function readMediaRecords(tx: OperationTx, tenantId: string, only?: readonly string[]): Promise<MediaRecord[]> {
  if (only && only.length === 0) return [];
  let query = tx.trx.selectFrom('media').selectAll().where('tenant_id', '=', tenantId);
  if (only) query = query.where('id', 'in', [...only]);
  const rows = await query.orderBy('created_at').orderBy('id').execute();
  return rows.map((row) => ({
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
  }));
}

/** The records with their bytes from the media store (the site's context); tells `context.progress` of each one read. */
export async function readMediaBytes(tx: OperationTx, tenantId: string, what: string, records: readonly MediaRecord[]): Promise<MediaCopy[]> {
  const copies: MediaCopy[] = [];
  for (const record of records) {
    const bytes = await mediaStoreOf(tx).get(tx.trx, tenantId, record.id);
    if (!bytes) throw new Error(`Image ${record.id} has no bytes in the media store.`);
    copies.push({ ...record, bytes });
    tx.context.progress?.({ what, done: copies.length, total: records.length });
  }
  return copies;
}

/** A site's images (all, or those in `only`), oldest first, with their bytes: records, then bytes. */
export async function readMediaCopies(tx: OperationTx, tenantId: string, what: string, only?: readonly string[]): Promise<MediaCopy[]> {
  return readMediaBytes(tx, tenantId, what, await readMediaRecords(tx, tenantId, only));
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
