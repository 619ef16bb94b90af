import { z } from 'zod';
import { defineOperation } from '../operation.ts';
import { MosaicError } from '../../errors/catalog.ts';
import { findMedia, mediaIdSchema, mediaStoreOf, toMediaView, type MediaView } from './media-view.ts';

/** One image of the site's library. */
export const readMedia = defineOperation({
  name: 'media.read',
  scope: 'tenant',
  action: 'media.read',
  mutates: false,
  input: z.strictObject({ mediaId: mediaIdSchema }),
  async run(tx, input): Promise<MediaView> {
    return toMediaView(await findMedia(tx.trx, tx.tenant!.id, input.mediaId));
  },
});

/** One image's original bytes, for a thumbnail in the editor (the site's host serves visitors). */
export const readMediaFile = defineOperation({
  name: 'media.read-file',
  scope: 'tenant',
  action: 'media.read',
  mutates: false,
  input: z.strictObject({ mediaId: mediaIdSchema }),
  async run(tx, input): Promise<{ bytes: Buffer; contentType: string }> {
    const row = await findMedia(tx.trx, tx.tenant!.id, input.mediaId);
    const bytes = await mediaStoreOf(tx).get(tx.trx, tx.tenant!.id, row.id);
    if (!bytes) throw new MosaicError('NotFound', `There is no image ${input.mediaId}.`);
    return { bytes, contentType: row.content_type };
  },
});
