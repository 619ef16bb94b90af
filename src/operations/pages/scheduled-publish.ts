import { z } from 'zod';
import { defineJobKind } from '../../jobs/job-kind.ts';
import { draftSchema, pageIdSchema, revisionSchema, versionNumberSchema } from './page-schemas.ts';
import { lockPage, publishDraft, publishExistingVersion } from './page-store.ts';

/**
 * The job a scheduled publish leaves: the draft as it was when scheduled (later saves do not
 * change what goes live), or an existing version to point the page at.
 */
export const scheduledPublishPayload = z.union([
  z.strictObject({ pageId: pageIdSchema, draftRevision: revisionSchema, draft: draftSchema }),
  z.strictObject({ pageId: pageIdSchema, version: versionNumberSchema }),
]);

export const scheduledPublish = defineJobKind({
  kind: 'page.publish',
  action: 'page.publish',
  payload: scheduledPublishPayload,
  maxAttempts: 5,
  async run(tx, payload) {
    const page = await lockPage(tx, payload.pageId);
    if ('version' in payload) return publishExistingVersion(tx, page, payload.version, 'publish');
    // Checked when scheduled; checked again, since the registry may have changed since.
    return publishDraft(tx, page, payload.draft, payload.draftRevision);
  },
});
