import { z } from 'zod';
import { MosaicError } from '../../errors/catalog.ts';
import { defineOperation } from '../operation.ts';
import { pageIdSchema, pagePathSchema, revisionSchema, type PageView } from './page-schemas.ts';
import { lockPage, readPageView, refuseStaleDraft, refusingTakenPath } from './page-store.ts';

/** Moves a page to another path; a path another live page has is refused. */
export const changePath = defineOperation({
  name: 'page.change-path',
  scope: 'tenant',
  action: 'page.publish',
  mutates: true,
  input: z.strictObject({ pageId: pageIdSchema, expectedRevision: revisionSchema.optional(), path: pagePathSchema }),
  async run(tx, input): Promise<PageView> {
    const page = await lockPage(tx, input.pageId);
    refuseStaleDraft(page, input.expectedRevision);
    if (page.path === input.path) throw new MosaicError('Conflict', `The page is already at ${input.path}.`);
    await refusingTakenPath(input.path, () =>
      tx.trx.updateTable('pages').set({ path: input.path, updated_at: tx.now }).where('tenant_id', '=', tx.tenant!.id).where('id', '=', page.id).execute(),
    );
    // Visitors find a published page at its new path, and no longer at the old one.
    const siteVersion = page.published_version_id ? await tx.siteChanged(`move ${page.path} to ${input.path}`, { paths: [input.path, page.path] }) : null;
    await tx.audit({ subject: input.path, before: { path: page.path }, after: { path: input.path }, detail: { pageId: page.id, siteVersion } });
    return readPageView(tx, page.id);
  },
});
