import { sql } from 'kysely';
import { z } from 'zod';
import { defineOperation } from '../operation.ts';
import { cursorId, cursorTime, decodeCursor, exactTime, likePattern, pageRequestShape, toPage, type Page } from '../pagination.ts';
import { mediaColumns, toMediaView, usedMediaBytes, type MediaView } from './media-view.ts';

/** A site's images, newest first, with how much of the plan's storage they use; `search` matches alt text and file name. */
export const listMedia = defineOperation({
  name: 'media.list',
  scope: 'tenant',
  action: 'media.read',
  mutates: false,
  input: z.strictObject({ ...pageRequestShape, search: z.string().trim().min(1).max(200).optional() }),
  async run(tx, input): Promise<Page<MediaView> & { usedBytes: number }> {
    const tenantId = tx.tenant!.id;
    let query = tx.trx.selectFrom('media').select(mediaColumns).select(exactTime('created_at').as('cursor_at')).where('tenant_id', '=', tenantId);
    if (input.search) {
      const pattern = likePattern(input.search);
      query = query.where(sql<boolean>`(alt ILIKE ${pattern} OR filename ILIKE ${pattern})`);
    }
    if (input.cursor) {
      const [at = '', id = ''] = decodeCursor(input.cursor, 2);
      query = query.where(sql<boolean>`(created_at, id) < (${cursorTime(at)}::timestamptz, ${cursorId(id)}::uuid)`);
    }
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(input.limit + 1).execute();
    return { ...toPage(rows, input.limit, (row) => [row.cursor_at, row.id], toMediaView), usedBytes: await usedMediaBytes(tx.trx, tenantId) };
  },
});
