import { z } from 'zod';
import { defineOperation } from '../operation.ts';
import { pageIdSchema, revisionSchema } from './page-schemas.ts';
import { lockPage, publishDraft, refuseStaleDraft, type PublishResult } from './page-store.ts';

export type { PublishResult } from './page-store.ts';

/**
 * Publishes a page's draft: validated by the registry (every problem named by its path, nothing
 * changed when there is one), added as an immutable version, the page pointed at it and the site
 * version bumped, in one transaction; every instance hears of it after the commit. With
 * `expectedRevision`, publishes only that revision of the draft (`PreconditionFailed` otherwise).
 */
export const publishPage = defineOperation({
  name: 'page.publish',
  scope: 'tenant',
  action: 'page.publish',
  mutates: true,
  input: z.strictObject({ pageId: pageIdSchema, expectedRevision: revisionSchema.optional() }),
  async run(tx, input): Promise<PublishResult> {
    const page = await lockPage(tx, input.pageId);
    refuseStaleDraft(page, input.expectedRevision);
    return publishDraft(tx, page, page.draft, page.draft_revision);
  },
});
