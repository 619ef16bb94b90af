import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { MosaicError } from '../../errors/catalog.ts';
import { describeActor } from '../actor.ts';
import { defineOperation } from '../operation.ts';
import { draftSchema, pageIdSchema, revisionSchema, type Draft } from './page-schemas.ts';
import { lockPage } from './page-store.ts';

export interface SavedDraft {
  pageId: string;
  revision: number;
  updatedAt: string;
}

/**
 * Replaces a page's working draft. `expectedRevision` is the revision the editor started from:
 * when someone saved since, nothing is written and `PreconditionFailed` carries the current
 * draft and revision, so neither change is lost. The draft is checked for shape and storable
 * text; the registry checks it on publish. Visitors never see a draft.
 */
export const saveDraft = defineOperation({
  name: 'page.save-draft',
  scope: 'tenant',
  action: 'page.edit',
  mutates: true,
  input: z.strictObject({ pageId: pageIdSchema, expectedRevision: revisionSchema, draft: draftSchema }),
  async run(tx, input): Promise<SavedDraft> {
    const page = await lockPage(tx, input.pageId);
    if (page.draft_revision !== input.expectedRevision) {
      throw new MosaicError(
        'PreconditionFailed',
        `The draft of ${page.path} was saved by ${page.draft_updated_by ?? 'someone'} since revision ${input.expectedRevision}; it is now at revision ${page.draft_revision}.`,
        [],
        {
          current: {
            revision: page.draft_revision,
            draft: page.draft,
            updatedAt: new Date(page.draft_updated_at).toISOString(),
            updatedBy: page.draft_updated_by,
          },
        },
      );
    }
    const revision = page.draft_revision + 1;
    await tx.trx
      .updateTable('pages')
      .set({ draft: JSON.stringify(input.draft), draft_revision: revision, draft_updated_at: tx.now, draft_updated_by: describeActor(tx.actor).label })
      .where('tenant_id', '=', tx.tenant!.id)
      .where('id', '=', page.id)
      .execute();
    const unchanged = isDeepStrictEqual(page.draft, input.draft as Draft);
    await tx.audit({ subject: page.path, before: page.draft, after: input.draft, detail: { pageId: page.id, revision, unchanged } });
    return { pageId: page.id, revision, updatedAt: tx.now.toISOString() };
  },
});
