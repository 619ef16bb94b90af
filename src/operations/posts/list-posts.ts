import { sql } from 'kysely';
import { z } from 'zod';
import { defineOperation } from '../operation.ts';
import { cursorId, cursorTime, decodeCursor, exactTime, likePattern, pageRequestShape, toPage, type Page } from '../pagination.ts';
import type { PostView } from './post-schemas.ts';
import { postColumns, toPostView } from './post-store.ts';

/** A site's posts, newest first; `status` keeps drafts, scheduled or published ones; `search` matches slug and title. */
export const listPosts = defineOperation({
  name: 'post.list',
  scope: 'tenant',
  action: 'post.read',
  mutates: false,
  input: z.strictObject({
    ...pageRequestShape,
    status: z.enum(['draft', 'scheduled', 'published']).optional(),
    search: z.string().trim().min(1).max(200).optional(),
  }),
  async run(tx, input): Promise<Page<PostView>> {
    let query = tx.trx.selectFrom('posts').select(postColumns).select(exactTime('created_at').as('cursor_at')).where('tenant_id', '=', tx.tenant!.id);
    if (input.status === 'draft') query = query.where('published_at', 'is', null);
    if (input.status === 'scheduled') query = query.where('published_at', '>', tx.now);
    if (input.status === 'published') query = query.where('published_at', '<=', tx.now);
    if (input.search) {
      const pattern = likePattern(input.search);
      query = query.where(sql<boolean>`(slug ILIKE ${pattern} OR title ILIKE ${pattern})`);
    }
    if (input.cursor) {
      const [at = '', id = ''] = decodeCursor(input.cursor, 2);
      query = query.where(sql<boolean>`(created_at, id) < (${cursorTime(at)}::timestamptz, ${cursorId(id)}::uuid)`);
    }
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(input.limit + 1).execute();
    return toPage(rows, input.limit, (row) => [row.cursor_at, row.id], (row) => toPostView(row, tx.now));
  },
});
