import { z } from 'zod';
import { defineOperation } from '../operation.ts';
import { postIdSchema, type PostView } from './post-schemas.ts';
import { findPost, toPostView } from './post-store.ts';

export const readPost = defineOperation({
  name: 'post.read',
  scope: 'tenant',
  action: 'post.read',
  mutates: false,
  input: z.strictObject({ postId: postIdSchema }),
  run: async (tx, input): Promise<PostView> => toPostView(await findPost(tx.trx, tx.tenant!.id, input.postId), tx.now),
});
