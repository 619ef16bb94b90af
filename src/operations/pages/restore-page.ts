import { z } from 'zod';
import { MosaicError } from '../../errors/catalog.ts';
import { defineOperation } from '../operation.ts';
import { pageIdSchema, type PageView } from './page-schemas.ts';
import { lockPage, readPageView, refusingTakenPath } from './page-store.ts';

/**
 * Undoes a delete or an unpublish, for platform admins: the page is live again at its path (unless
 * another page took it meanwhile) and the version it showed before is published again.
 */
export const restorePage = defineOperation({
  name: 'page.restore',
  scope: 'tenant',
  action: 'platform.page.restore',
  mutates: true,
  input: z.strictObject({ pageId: pageIdSchema }),
  async run(tx, input): Promise<PageView> {
    const page = await lockPage(tx, input.pageId, { deleted: true });
    if (!page.deleted_at && !page.withdrawn_version_id) throw new MosaicError('Conflict', `${page.path} is neither deleted nor unpublished.`);
    await refusingTakenPath(page.path, () =>
      tx.trx
        .updateTable('pages')
        .set({
          deleted_at: null,
          deleted_by: null,
          published_version_id: page.withdrawn_version_id,
          withdrawn_version_id: null,
          updated_at: tx.now,
        })
        .where('tenant_id', '=', tx.tenant!.id)
        .where('id', '=', page.id)
        .execute(),
    );
    const siteVersion = page.withdrawn_version_id ? await tx.siteChanged(`restore ${page.path}`, { paths: [page.path] }) : null;
    const restored = await readPageView(tx, page.id);
    await tx.audit({
      subject: page.path,
      before: { deleted: page.deleted_at !== null, version: null },
      after: { deleted: false, version: restored.publishedVersion },
      detail: { pageId: page.id, siteVersion },
    });
    return restored;
  },
});
