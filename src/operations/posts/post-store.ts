import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { MosaicError } from '../../errors/catalog.ts';
import type { PostStatus, PostView } from './post-schemas.ts';

export const postColumns = ['id', 'slug', 'title', 'excerpt', 'body', 'author', 'published_at', 'created_at', 'updated_at', 'updated_by'] as const;

type PostRow = {
  id: string;
  slug: string;
  title: string;
  excerpt: string;
  body: string;
  author: string | null;
  published_at: Date | null;
  created_at: Date;
  updated_at: Date;
  updated_by: string | null;
};

export function statusOf(publishedAt: Date | string | null, now: Date): PostStatus {
  if (publishedAt === null) return 'draft';
  return new Date(publishedAt).getTime() > now.getTime() ? 'scheduled' : 'published';
}

export function toPostView(row: PostRow, now: Date): PostView {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    excerpt: row.excerpt,
    body: row.body,
    author: row.author,
    publishedAt: row.published_at ? new Date(row.published_at).toISOString() : null,
    status: statusOf(row.published_at, now),
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    updatedBy: row.updated_by,
  };
}

export async function findPost(trx: Transaction<Database>, tenantId: string, postId: string, options: { lock?: boolean } = {}): Promise<PostRow> {
  let query = trx.selectFrom('posts').select(postColumns).where('tenant_id', '=', tenantId).where('id', '=', postId);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw new MosaicError('NotFound', `There is no post ${postId}.`);
  return row;
}

/** A post visitors see or will see (scheduled posts shape the blog section's cache lifetime). */
export const isVisible = (publishedAt: Date | string | null): boolean => publishedAt !== null;

/** Turns a taken slug into a `Conflict` naming it. */
export async function refusingTakenSlug<T>(slug: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const pgError = error as { code?: string; constraint?: string };
    if (pgError.code === '23505' && pgError.constraint === 'posts_tenant_id_slug_key') {
      throw new MosaicError('Conflict', `Another post already has the slug ${slug}.`, [{ path: 'slug', message: `${slug} is taken by another post` }]);
    }
    throw error;
  }
}
