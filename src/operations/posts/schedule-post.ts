import { z } from 'zod';
import { MosaicError } from '../../errors/catalog.ts';
import { describeActor } from '../actor.ts';
import { defineOperation } from '../operation.ts';
import { postIdSchema, type PostView } from './post-schemas.ts';
import { findPost, toPostView } from './post-store.ts';

/**
 * Sets when a post goes live: a time to come schedules it (the blog shows it from then on,
 * without anyone publishing), `now` publishes it, null takes it back to a draft.
 */
export const schedulePost = defineOperation({
  name: 'post.schedule',
  scope: 'tenant',
  action: 'post.publish',
  mutates: true,
  input: z.strictObject({ postId: postIdSchema, at: z.union([z.literal('now'), z.iso.datetime({ offset: true }), z.null()]) }),
  async run(tx, input): Promise<PostView> {
    const tenantId = tx.tenant!.id;
    const row = await findPost(tx.trx, tenantId, input.postId, { lock: true });
    const at = input.at === 'now' ? tx.now : input.at === null ? null : new Date(input.at);
    if (at && input.at !== 'now' && at.getTime() <= tx.now.getTime()) {
      throw new MosaicError('InvalidInput', undefined, [{ path: 'at', message: 'must be in the future (or "now")' }]);
    }
    await tx.trx
      .updateTable('posts')
      .set({ published_at: at, updated_at: tx.now, updated_by: describeActor(tx.actor).label })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', row.id)
      .execute();
    const before = row.published_at ? new Date(row.published_at).toISOString() : null;
    const after = at ? at.toISOString() : null;
    const siteVersion = before !== after ? await tx.siteChanged(`post ${row.slug}`) : null;
    await tx.audit({ subject: `post:${row.slug}`, before: { publishedAt: before }, after: { publishedAt: after }, detail: { postId: row.id, siteVersion } });
    return toPostView(await findPost(tx.trx, tenantId, row.id), tx.now);
  },
});
