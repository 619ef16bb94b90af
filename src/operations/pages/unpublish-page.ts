import { z } from 'zod';
import { MosaicError } from '../../errors/catalog.ts';
import { defineOperation } from '../operation.ts';
import { pageIdSchema, revisionSchema } from './page-schemas.ts';
import { lockPage, movePointer, refuseStaleDraft } from './page-store.ts';

/**
 * Takes a page off the site: visitors get the tenant's not-found page at its path. Its draft and
 * versions stay; publishing again (or a platform admin's restore) puts it back.
 */
export const unpublishPage = defineOperation({
  name: 'page.unpublish',
  scope: 'tenant',
  action: 'page.publish',
  mutates: true,
  input: z.strictObject({ pageId: pageIdSchema, expectedRevision: revisionSchema.optional() }),
  async run(tx, input): Promise<{ pageId: string; path: string; siteVersion: number }> {
    const page = await lockPage(tx, input.pageId);
    refuseStaleDraft(page, input.expectedRevision);
    if (!page.published_version_id) throw new MosaicError('Conflict', `${page.path} is not published.`);
    await movePointer(tx, page.id, null, page.published_version_id);
    const siteVersion = await tx.siteChanged(`unpublish ${page.path}`, { paths: [page.path] });
    await tx.audit({ subject: page.path, before: { version: page.published_version }, after: { version: null }, detail: { pageId: page.id, siteVersion } });
    return { pageId: page.id, path: page.path, siteVersion };
  },
});
