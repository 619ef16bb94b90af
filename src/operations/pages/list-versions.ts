import { z } from 'zod';
import { defineOperation } from '../operation.ts';
import { decodeCursor, pageRequestShape, toPage, type Page } from '../pagination.ts';
import { pageIdSchema, versionNumberSchema } from './page-schemas.ts';
import { findPageRow } from './page-store.ts';

export interface VersionSummary {
  version: number;
  createdAt: string;
  /** Who published it: an email, `key:<prefix>`, `system:scheduler`, `cli:<name>`. */
  createdBy: string;
  /** The draft revision it was made from; null for versions older than drafts. */
  sourceRevision: number | null;
  /** Visitors see this version now. */
  published: boolean;
}

/** A page's published versions, newest first. */
export const listVersions = defineOperation({
  name: 'page.versions',
  scope: 'tenant',
  action: 'page.read',
  mutates: false,
  input: z.strictObject({ pageId: pageIdSchema, ...pageRequestShape }),
  async run(tx, input): Promise<Page<VersionSummary>> {
    const page = await findPageRow(tx, input.pageId, { deleted: true });
    let query = tx.trx
      .selectFrom('page_versions')
      .select(['id', 'version', 'created_at', 'created_by', 'source_revision'])
      .where('tenant_id', '=', tx.tenant!.id)
      .where('page_id', '=', page.id);
    if (input.cursor) {
      const [version = ''] = decodeCursor(input.cursor, 1);
      query = query.where('version', '<', versionNumberSchema.catch(0).parse(version));
    }
    const rows = await query.orderBy('version', 'desc').limit(input.limit + 1).execute();
    return toPage(
      rows,
      input.limit,
      (row) => [String(row.version)],
      (row) => ({
        version: row.version,
        createdAt: new Date(row.created_at).toISOString(),
        createdBy: row.created_by,
        sourceRevision: row.source_revision,
        published: row.id === page.published_version_id,
      }),
    );
  },
});
