import { z } from 'zod';
import { MosaicError } from '../../errors/catalog.ts';
import { defineOperation } from '../operation.ts';
import { pageIdSchema, revisionSchema, versionNumberSchema } from './page-schemas.ts';
import { lockPage, publishExistingVersion, refuseStaleDraft, type PublishResult } from './page-store.ts';

/**
 * Points a page back at an earlier version (the one before the published one, unless a version is
 * named). History and the draft are untouched; the site version moves so every cache does too.
 */
export const rollbackPage = defineOperation({
  name: 'page.rollback',
  scope: 'tenant',
  action: 'page.publish',
  mutates: true,
  input: z.strictObject({ pageId: pageIdSchema, expectedRevision: revisionSchema.optional(), version: versionNumberSchema.optional() }),
  async run(tx, input): Promise<PublishResult> {
    const page = await lockPage(tx, input.pageId);
    refuseStaleDraft(page, input.expectedRevision);
    const wanted = input.version ?? (page.published_version ?? 1) - 1;
    if (wanted < 1) throw new MosaicError('UnknownPageVersion', `${page.path} has no earlier version to roll back to.`);
    return publishExistingVersion(tx, page, wanted, 'rollback');
  },
});
