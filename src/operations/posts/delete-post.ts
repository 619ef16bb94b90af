import { z } from 'zod';
import { defineOperation } from '../operation.ts';
import { postIdSchema } from './post-schemas.ts';
import { findPost, isVisible, toPostView } from './post-store.ts';

/** Deletes a post; the audit record keeps what it said. */
export const deletePost = defineOperation({
  name: 'post.delete',
  scope: 'tenant',
  action: 'post.edit',
  mutates: true,
  input: z.strictObject({ postId: postIdSchema }),
  async run(tx, input): Promise<{ postId: string; siteVersion: number | null }> {
    const tenantId = tx.tenant!.id;
    const row = await findPost(tx.trx, tenantId, input.postId, { lock: true });
    // Taking a live post off the site is a publishing decision.
    if (isVisible(row.published_at)) tx.require('post.publish');
    await tx.trx.deleteFrom('posts').where('tenant_id', '=', tenantId).where('id', '=', row.id).execute();
    const siteVersion = isVisible(row.published_at) ? await tx.siteChanged(`post ${row.slug} deleted`) : null;
    const { id: _, ...before } = toPostView(row, tx.now);
    await tx.audit({ subject: `post:${row.slug}`, before, detail: { postId: row.id, siteVersion } });
    return { postId: row.id, siteVersion };
  },
});
