import { z } from 'zod';
import { defineOperation } from '../operation.ts';
import { findMedia, mediaIdSchema, mediaStoreOf } from './media-view.ts';

/**
 * Deletes an image and its bytes. Its addresses stop answering at once on every instance (each
 * request checks the row); copies already in browsers and CDNs live out their cache lifetime.
 */
export const deleteMedia = defineOperation({
  name: 'media.delete',
  scope: 'tenant',
  action: 'media.delete',
  mutates: true,
  input: z.strictObject({ mediaId: mediaIdSchema }),
  async run(tx, input): Promise<{ mediaId: string }> {
    const tenantId = tx.tenant!.id;
    const row = await findMedia(tx.trx, tenantId, input.mediaId, { lock: true });
    await mediaStoreOf(tx).delete(tx.trx, tenantId, row.id);
    await tx.trx.deleteFrom('media').where('tenant_id', '=', tenantId).where('id', '=', row.id).execute();
    await tx.audit({ subject: `media:${row.id}`, before: { alt: row.alt, filename: row.filename, contentType: row.content_type, byteSize: row.byte_size } });
    return { mediaId: row.id };
  },
});
