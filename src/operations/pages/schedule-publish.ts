import { z } from 'zod';
import { MosaicError } from '../../errors/catalog.ts';
import { enqueueJob, type JobView } from '../../jobs/job-store.ts';
import { defineOperation } from '../operation.ts';
import { pageIdSchema, revisionSchema, versionNumberSchema, type Draft } from './page-schemas.ts';
import { lockPage, pageSubject, refuseStaleDraft, validatedComposition } from './page-store.ts';
import { scheduledPublish } from './scheduled-publish.ts';

const MAX_AHEAD_MS = 5 * 366 * 24 * 3600 * 1000;

/**
 * Schedules a publish at a time to come: of the draft as it is now (validated now, so a mistake
 * shows at once) or of an existing version. The job runner publishes it then, once, even across
 * restarts and with several instances; it can be cancelled until it runs.
 */
export const schedulePublish = defineOperation({
  name: 'page.schedule',
  scope: 'tenant',
  action: 'page.publish',
  mutates: true,
  input: z.strictObject({
    pageId: pageIdSchema,
    at: z.iso.datetime({ offset: true }),
    /** Publish this version instead of the draft. */
    version: versionNumberSchema.optional(),
    /** The draft revision the editor means; `PreconditionFailed` when the draft has moved on. */
    expectedRevision: revisionSchema.optional(),
  }),
  async run(tx, input): Promise<JobView> {
    const at = new Date(input.at);
    if (at.getTime() <= tx.now.getTime()) throw new MosaicError('InvalidInput', undefined, [{ path: 'at', message: 'must be in the future' }]);
    if (at.getTime() - tx.now.getTime() > MAX_AHEAD_MS) throw new MosaicError('InvalidInput', undefined, [{ path: 'at', message: 'must be within five years' }]);
    const page = await lockPage(tx, input.pageId);
    let payload;
    if (input.version !== undefined) {
      const exists = await tx.trx
        .selectFrom('page_versions')
        .select('id')
        .where('tenant_id', '=', tx.tenant!.id)
        .where('page_id', '=', page.id)
        .where('version', '=', input.version)
        .executeTakeFirst();
      if (!exists) throw new MosaicError('UnknownPageVersion', `${page.path} has no version ${input.version}.`);
      payload = { pageId: page.id, version: input.version };
    } else {
      refuseStaleDraft(page, input.expectedRevision);
      validatedComposition(tx, page.path, page.draft);
      payload = { pageId: page.id, draftRevision: page.draft_revision, draft: page.draft as Draft };
    }
    const job = await enqueueJob(tx.trx, tx.tenant!.id, {
      kind: scheduledPublish.kind,
      subject: pageSubject(page.id),
      payload,
      runAt: at,
      createdBy: tx.actor,
      maxAttempts: scheduledPublish.maxAttempts,
    });
    await tx.audit({
      subject: page.path,
      after: { scheduledAt: job.runAt },
      detail: { pageId: page.id, jobId: job.id, version: input.version ?? null, draftRevision: input.version === undefined ? page.draft_revision : null },
    });
    return job;
  },
});
