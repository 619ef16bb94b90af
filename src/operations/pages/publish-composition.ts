import { z } from 'zod';
import { validateComposition } from '../../compositions/validate-composition.ts';
import { MosaicError } from '../../errors/catalog.ts';
import { describeActor } from '../actor.ts';
import { defineOperation } from '../operation.ts';
import { livePageCount, requireRoomFor } from '../plan-limits.ts';
import type { PublishResult } from './page-store.ts';
import { addPublishedVersion, draftOf, lockPage } from './page-store.ts';

/**
 * Publishes a whole composition (path included) at once: the page at that path is created if
 * there is none, its draft replaced by the composition, and the draft published — for the seeder
 * and the command line, which hold pages as files. Invalid input changes nothing.
 */
export const publishComposition = defineOperation({
  name: 'page.publish-composition',
  scope: 'tenant',
  action: 'page.publish',
  mutates: true,
  input: z.strictObject({ composition: z.unknown() }),
  async run(tx, input): Promise<PublishResult & { created: boolean }> {
    const checked = validateComposition(input.composition, tx.tenant!.slug, tx.context.registry);
    if (!checked.ok) throw new MosaicError('InvalidComposition', undefined, checked.issues);
    const composition = checked.composition;
    const tenantId = tx.tenant!.id;
    const livePageAtPath = () =>
      tx.trx.selectFrom('pages').select('id').where('tenant_id', '=', tenantId).where('path', '=', composition.path).where('deleted_at', 'is', null).executeTakeFirst();
    if (!(await livePageAtPath())) await requireRoomFor(tx, 'pages', () => livePageCount(tx));
    const inserted = await tx.trx
      .insertInto('pages')
      .values({ tenant_id: tenantId, path: composition.path, draft_revision: 0 })
      .onConflict((oc) => oc.columns(['tenant_id', 'path']).where('deleted_at', 'is', null).doNothing())
      .returning('id')
      .executeTakeFirst();
    const found = await livePageAtPath();
    if (!found) throw new Error(`No live page at ${composition.path} after inserting it.`);
    // Concurrent publishes of one path take turns here and number their versions in order.
    const page = await lockPage(tx, found.id);
    const revision = page.draft_revision + 1;
    await tx.trx
      .updateTable('pages')
      .set({ draft: JSON.stringify(draftOf(composition)), draft_revision: revision, draft_updated_at: tx.now, draft_updated_by: describeActor(tx.actor).label })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', page.id)
      .execute();
    const { version, siteVersion } = await addPublishedVersion(tx, page, composition, revision);
    await tx.audit({
      subject: page.path,
      before: { version: page.published_version },
      after: { version },
      detail: { pageId: page.id, version, draftRevision: revision, siteVersion, created: inserted !== undefined },
    });
    return { pageId: page.id, path: page.path, version, siteVersion, created: inserted !== undefined };
  },
});
