import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { describeActor } from '../actor.ts';
import { defineOperation } from '../operation.ts';
import { postFieldsShape, postIdSchema, type PostView } from './post-schemas.ts';
import { findPost, isVisible, refusingTakenSlug, toPostView } from './post-store.ts';

const fields = z.object(postFieldsShape);

/**
 * Changes a post's fields (those given). Changing when it goes live — publishing, scheduling,
 * taking it back to a draft — needs `post.publish`. Visitors' pages change when the post is or
 * was visible (scheduled posts included).
 */
export const updatePost = defineOperation({
  name: 'post.update',
  scope: 'tenant',
  action: 'post.edit',
  mutates: true,
  input: z.strictObject({
    postId: postIdSchema,
    slug: fields.shape.slug.optional(),
    title: fields.shape.title.optional(),
    excerpt: z.string().max(500).optional(),
    body: z.string().max(50_000).optional(),
    author: z.string().trim().max(120).nullable().optional(),
    publishedAt: z.iso.datetime({ offset: true }).nullable().optional(),
  }),
  async run(tx, input): Promise<PostView> {
    const tenantId = tx.tenant!.id;
    const row = await findPost(tx.trx, tenantId, input.postId, { lock: true });
    const before = toPostView(row, tx.now);
    const { postId: _, ...changes } = input;
    const after = { ...before, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) } as PostView;
    const normalTime = (t: string | null) => (t === null ? null : new Date(t).toISOString());
    if (normalTime(after.publishedAt) !== before.publishedAt) tx.require('post.publish');
    await refusingTakenSlug(after.slug, () =>
      tx.trx
        .updateTable('posts')
        .set({
          slug: after.slug,
          title: after.title,
          excerpt: after.excerpt,
          body: after.body,
          author: after.author,
          published_at: after.publishedAt,
          updated_at: tx.now,
          updated_by: describeActor(tx.actor).label,
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', row.id)
        .execute(),
    );
    const visible = isVisible(before.publishedAt) || isVisible(after.publishedAt);
    const pick = (p: PostView) => ({ slug: p.slug, title: p.title, excerpt: p.excerpt, body: p.body, author: p.author, publishedAt: normalTime(p.publishedAt) });
    const changed = !isDeepStrictEqual(pick(before), pick(after));
    const siteVersion = visible && changed ? await tx.siteChanged(`post ${after.slug}`) : null;
    await tx.audit({ subject: `post:${after.slug}`, before: pick(before), after: pick(after), detail: { postId: row.id, siteVersion } });
    return toPostView(await findPost(tx.trx, tenantId, row.id), tx.now);
  },
});
