import { z } from 'zod';
import { defineOperation } from '../operation.ts';
import { findMedia, mediaIdSchema, toMediaView, type MediaView } from './media-view.ts';

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
