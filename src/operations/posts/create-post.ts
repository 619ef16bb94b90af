import { z } from 'zod';
import { describeActor } from '../actor.ts';
import { defineOperation } from '../operation.ts';
import { requireRoomFor } from '../plan-limits.ts';
import { postFieldsShape, type PostView } from './post-schemas.ts';
import { findPost, isVisible, refusingTakenSlug, toPostView } from './post-store.ts';

/** A new post: a draft, or published or scheduled when `publishedAt` is given (which needs `post.publish`). */
export const createPost = defineOperation({
  name: 'post.create',
  scope: 'tenant',
  action: 'post.edit',
  mutates: true,
  input: z.strictObject(postFieldsShape),
  async run(tx, input): Promise<PostView> {
    if (input.publishedAt !== null) tx.require('post.publish');
    await requireRoomFor(tx, 'posts', async () => {
      const row = await tx.trx.selectFrom('posts').select((eb) => eb.fn.countAll<string>().as('n')).where('tenant_id', '=', tx.tenant!.id).executeTakeFirstOrThrow();
      return Number(row.n);
    });
    const row = await refusingTakenSlug(input.slug, () =>
      tx.trx
        .insertInto('posts')
        .values({
          tenant_id: tx.tenant!.id,
          slug: input.slug,
          title: input.title,
          excerpt: input.excerpt,
          body: input.body,
          author: input.author,
          published_at: input.publishedAt,
          updated_at: tx.now,
          updated_by: describeActor(tx.actor).label,
        })
        .returning('id')
        .executeTakeFirstOrThrow(),
    );
    const siteVersion = isVisible(input.publishedAt) ? await tx.siteChanged(`post ${input.slug}`) : null;
    await tx.audit({ subject: `post:${input.slug}`, after: input, detail: { postId: row.id, siteVersion } });
    return toPostView(await findPost(tx.trx, tx.tenant!.id, row.id), tx.now);
  },
});
