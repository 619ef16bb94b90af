import { z } from 'zod';
import { MosaicError } from '../../errors/catalog.ts';
import { defineOperation } from '../operation.ts';
import { pageIdSchema, pagePathSchema, type PageView } from './page-schemas.ts';
import { readPageView } from './page-store.ts';

/**
 * One page: its working draft (with the revision to send back when saving) and the version
 * visitors see. Found by id, or by path among the live pages. A deleted page is found by id only.
 */
export const readPage = defineOperation({
  name: 'page.read',
  scope: 'tenant',
  action: 'page.read',
  mutates: false,
  input: z
    .strictObject({ pageId: pageIdSchema.optional(), path: pagePathSchema.optional() })
    .refine((i) => (i.pageId === undefined) !== (i.path === undefined), 'name the page by pageId or by path'),
  async run(tx, input): Promise<PageView> {
    if (input.pageId) return readPageView(tx, input.pageId, { deleted: true });
    const row = await tx.trx
      .selectFrom('pages')
      .select('id')
      .where('tenant_id', '=', tx.tenant!.id)
      .where('path', '=', input.path!)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!row) throw new MosaicError('PageNotFound', `There is no page at ${input.path}.`);
    return readPageView(tx, row.id);
  },
});
