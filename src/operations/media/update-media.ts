import { z } from 'zod';
import { describeActor } from '../actor.ts';
import { defineOperation } from '../operation.ts';
import { altSchema, findMedia, mediaIdSchema, toMediaView, type MediaView } from './media-view.ts';

export const updateMediaInput = z.strictObject({ alt: altSchema });

/** Changes an image's alt text; its bytes never change (their addresses are cached for a year). */
export const updateMedia = defineOperation({
  name: 'media.update',
  scope: 'tenant',
  action: 'media.upload',
  mutates: true,
  input: updateMediaInput.extend({ mediaId: mediaIdSchema }),
  async run(tx, input): Promise<MediaView> {
    const tenantId = tx.tenant!.id;
    const row = await findMedia(tx.trx, tenantId, input.mediaId, { lock: true });
    if (row.alt === input.alt) {
      tx.noChange();
      return toMediaView(row);
    }
    await tx.trx
      .updateTable('media')
      .set({ alt: input.alt, updated_at: tx.now, updated_by: describeActor(tx.actor).label })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', row.id)
      .execute();
    await tx.audit({ subject: `media:${row.id}`, before: { alt: row.alt }, after: { alt: input.alt } });
    return toMediaView(await findMedia(tx.trx, tenantId, row.id));
  },
});
