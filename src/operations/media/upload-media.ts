import { createHash } from 'node:crypto';
import { z } from 'zod';
import { MosaicError } from '../../errors/catalog.ts';
import { MEDIA_FILE_LIMIT } from '../../media/media-formats.ts';
import { assertWithinLimit } from '../../plans/resolve-plan.ts';
import { describeActor } from '../actor.ts';
import { defineOperation } from '../operation.ts';
import { lockedTenantPlan } from '../plan-limits.ts';
import { readImage } from './read-image.ts';
import { altSchema, findMedia, mediaStoreOf, toMediaView, usedMediaBytes, type MediaView } from './media-view.ts';

// Base64 grows by a third: the longest text that decodes to at most MEDIA_FILE_LIMIT bytes.
const MAX_BASE64 = Math.ceil(MEDIA_FILE_LIMIT / 3) * 4;

export const uploadMediaInput = z.strictObject({
  /** The file's bytes, base64-encoded. */
  data: z.base64('must be base64').max(MAX_BASE64, `is larger than ${MEDIA_FILE_LIMIT / 1024 / 1024} MiB`).min(1, 'is required'),
  alt: altSchema,
  filename: z
    .string()
    .trim()
    .max(255)
    .regex(/^[^/\\]*$/, 'must be a name, not a path')
    .default(''),
});

/**
 * Adds an image to the site's library: its type comes from its bytes, its size is bounded per
 * file and by the plan's media storage, and it needs alt text. The bytes go to the media store.
 */
export const uploadMedia = defineOperation({
  name: 'media.upload',
  scope: 'tenant',
  action: 'media.upload',
  mutates: true,
  input: uploadMediaInput,
  async run(tx, input): Promise<MediaView> {
    const tenantId = tx.tenant!.id;
    const bytes = Buffer.from(input.data, 'base64');
    if (bytes.length > MEDIA_FILE_LIMIT) throw new MosaicError('InvalidInput', undefined, [{ path: 'data', message: `is larger than ${MEDIA_FILE_LIMIT / 1024 / 1024} MiB` }]);
    const image = await readImage(bytes);
    // Under the site's row lock (see lockedTenantPlan), concurrent uploads count each other's bytes.
    const plan = await lockedTenantPlan(tx);
    const used = await usedMediaBytes(tx.trx, tenantId);
    assertWithinLimit(plan, 'mediaBytes', used + bytes.length);

    const by = describeActor(tx.actor).label;
    const row = await tx.trx
      .insertInto('media')
      .values({
        tenant_id: tenantId,
        content_type: image.contentType,
        byte_size: bytes.length,
        width: image.width,
        height: image.height,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        filename: input.filename,
        alt: input.alt,
        created_at: tx.now,
        created_by: by,
        updated_at: tx.now,
        updated_by: by,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await mediaStoreOf(tx).put(tx.trx, tenantId, row.id, bytes);
    const view = toMediaView(await findMedia(tx.trx, tenantId, row.id));
    await tx.audit({
      subject: `media:${row.id}`,
      after: { alt: view.alt, filename: view.filename, contentType: view.contentType, byteSize: view.byteSize, width: view.width, height: view.height },
    });
    return view;
  },
});
