import { z } from 'zod';
import { defineOperation } from '../operation.ts';
import { pageIdSchema } from './page-schemas.ts';
import { findPageRow } from './page-store.ts';

/** The draft revision a preview link will show; the caller signs it (`src/preview/preview-token.ts`). */
export interface PreviewTarget {
  tenantId: string;
  pageId: string;
  path: string;
  draftRevision: number;
}

/**
 * Names the current draft revision of a live page for a preview link. Reading only: anyone who
 * may preview (every role) gets the revision; the link itself carries no session.
 */
export const previewPage = defineOperation({
  name: 'page.preview',
  scope: 'tenant',
  action: 'page.preview',
  mutates: false,
  input: z.strictObject({ pageId: pageIdSchema }),
  async run(tx, input): Promise<PreviewTarget> {
    const row = await findPageRow(tx, input.pageId);
    return { tenantId: tx.tenant!.id, pageId: row.id, path: row.path, draftRevision: row.draft_revision };
  },
});
