import { z } from 'zod';
import { describeActor } from '../actor.ts';
import { defineOperation } from '../operation.ts';
import { cancelJobsFor } from '../../jobs/job-store.ts';
import { pageIdSchema, revisionSchema } from './page-schemas.ts';
import { lockPage, pageSubject, refuseStaleDraft } from './page-store.ts';

/**
 * Deletes a page softly: off the site, out of lists, its path free for a new page, its pending
 * schedules cancelled. Everything is kept, and a platform admin can restore it.
 */
export const deletePage = defineOperation({
  name: 'page.delete',
  scope: 'tenant',
  action: 'page.publish',
  mutates: true,
  input: z.strictObject({ pageId: pageIdSchema, expectedRevision: revisionSchema.optional() }),
  async run(tx, input): Promise<{ pageId: string; path: string; siteVersion: number | null }> {
    const page = await lockPage(tx, input.pageId);
    refuseStaleDraft(page, input.expectedRevision);
    await tx.trx
      .updateTable('pages')
      .set({
        deleted_at: tx.now,
        deleted_by: describeActor(tx.actor).label,
        published_version_id: null,
        withdrawn_version_id: page.published_version_id,
        updated_at: tx.now,
      })
      .where('tenant_id', '=', tx.tenant!.id)
      .where('id', '=', page.id)
      .execute();
    const cancelled = await cancelJobsFor(tx.trx, tx.tenant!.id, pageSubject(page.id));
    // Only a page visitors could see changes the site.
    const siteVersion = page.published_version_id ? await tx.siteChanged(`delete ${page.path}`, { paths: [page.path] }) : null;
    await tx.audit({
      subject: page.path,
      before: { deleted: false, version: page.published_version },
      after: { deleted: true, version: null },
      detail: { pageId: page.id, cancelledSchedules: cancelled, siteVersion },
    });
    return { pageId: page.id, path: page.path, siteVersion };
  },
});
