import { sql } from 'kysely';
import { z } from 'zod';
import { defineOperation } from '../operation.ts';
import { likePattern, pageRequestShape, toPage, decodeCursor, cursorId, type Page } from '../pagination.ts';
import type { PageSummary } from './page-schemas.ts';
import { pageRows, toSummary } from './page-store.ts';

export const PAGE_STATES = ['published', 'draft-pending', 'scheduled', 'unpublished', 'draft', 'deleted'] as const;

/**
 * A tenant's pages by path, a page at a time: each with its state. `search` matches the path or
 * the draft's title; `state` keeps one kind (deleted pages are listed only when asked for).
 */
export const listPages = defineOperation({
  name: 'page.list',
  scope: 'tenant',
  action: 'page.read',
  mutates: false,
  input: z.strictObject({
    ...pageRequestShape,
    search: z.string().trim().min(1).max(200).optional(),
    state: z.enum(PAGE_STATES).optional(),
  }),
  async run(tx, input): Promise<Page<PageSummary>> {
    let query = pageRows(tx.trx, tx.tenant!.id);
    const live = sql<boolean>`p.deleted_at IS NULL`;
    const hasVersions = sql<boolean>`EXISTS (SELECT 1 FROM page_versions pv WHERE pv.tenant_id = p.tenant_id AND pv.page_id = p.id)`;
    const scheduled = sql<boolean>`EXISTS (SELECT 1 FROM jobs j WHERE j.tenant_id = p.tenant_id AND j.subject = 'page:' || p.id::text AND j.status IN ('pending', 'running'))`;
    switch (input.state) {
      case undefined:
        query = query.where(live);
        break;
      case 'deleted':
        query = query.where('p.deleted_at', 'is not', null);
        break;
      case 'published':
        query = query.where(live).where('p.published_version_id', 'is not', null);
        break;
      case 'draft-pending':
        query = query.where(live).where('p.published_version_id', 'is not', null).where(sql<boolean>`p.draft_revision <> coalesce(v.source_revision, 0)`);
        break;
      case 'scheduled':
        query = query.where(live).where(scheduled);
        break;
      case 'unpublished':
        query = query.where(live).where('p.published_version_id', 'is', null).where(hasVersions);
        break;
      case 'draft':
        query = query.where(live).where('p.published_version_id', 'is', null).where(sql<boolean>`NOT ${hasVersions}`);
        break;
    }
    if (input.search) {
      const pattern = likePattern(input.search);
      query = query.where(sql<boolean>`(p.path ILIKE ${pattern} OR p.draft->>'title' ILIKE ${pattern})`);
    }
    if (input.cursor) {
      const [path = '', id = ''] = decodeCursor(input.cursor, 2);
      query = query.where(sql<boolean>`(p.path, p.id) > (${path}, ${cursorId(id)}::uuid)`);
    }
    const rows = await query.orderBy('p.path').orderBy('p.id').limit(input.limit + 1).execute();
    return toPage(rows, input.limit, (row) => [row.path, row.id], toSummary);
  },
});
