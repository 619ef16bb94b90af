import { z } from 'zod';
import { MosaicError } from '../../errors/catalog.ts';
import { defineOperation, type OperationTx } from '../operation.ts';
import type { VersionSummary } from './list-versions.ts';
import { pageIdSchema, versionNumberSchema } from './page-schemas.ts';
import { findPageRow } from './page-store.ts';

export interface VersionView extends VersionSummary {
  composition: unknown;
}

/** One published version of a page, as visitors saw it. */
export const readVersion = defineOperation({
  name: 'page.version',
  scope: 'tenant',
  action: 'page.read',
  mutates: false,
  input: z.strictObject({ pageId: pageIdSchema, version: versionNumberSchema }),
  run: (tx, input): Promise<VersionView> => versionOf(tx, input.pageId, input.version),
});

export async function versionOf(tx: OperationTx, pageId: string, version: number): Promise<VersionView> {
  const page = await findPageRow(tx, pageId, { deleted: true });
  const row = await tx.trx
    .selectFrom('page_versions')
    .select(['id', 'version', 'composition', 'created_at', 'created_by', 'source_revision'])
    .where('tenant_id', '=', tx.tenant!.id)
    .where('page_id', '=', page.id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!row) throw new MosaicError('UnknownPageVersion', `${page.path} has no version ${version}.`);
  return {
    version: row.version,
    composition: row.composition,
    createdAt: new Date(row.created_at).toISOString(),
    createdBy: row.created_by,
    sourceRevision: row.source_revision,
    published: row.id === page.published_version_id,
  };
}
