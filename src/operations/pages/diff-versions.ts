import { z } from 'zod';
import { defineOperation, type OperationTx } from '../operation.ts';
import { diffCompositions, type ComparableComposition, type PageDiff } from './page-diff.ts';
import { pageIdSchema, versionNumberSchema } from './page-schemas.ts';
import { findPageRow } from './page-store.ts';
import { versionOf } from './read-version.ts';

/** A version number, `published` (what visitors see) or `draft` (the working draft). */
const sideSchema = z.union([z.enum(['draft', 'published']), versionNumberSchema]);
type Side = z.output<typeof sideSchema>;

/** What changed between two versions of a page (or a version and the draft): fields, sections, props. */
export const diffVersions = defineOperation({
  name: 'page.diff',
  scope: 'tenant',
  action: 'page.read',
  mutates: false,
  input: z.strictObject({ pageId: pageIdSchema, from: sideSchema, to: sideSchema }),
  async run(tx, input): Promise<PageDiff & { from: Side; to: Side }> {
    const [from, to] = [await side(tx, input.pageId, input.from), await side(tx, input.pageId, input.to)];
    return { from: input.from, to: input.to, ...diffCompositions(from, to) };
  },
});

async function side(tx: OperationTx, pageId: string, which: Side): Promise<ComparableComposition> {
  const page = await findPageRow(tx, pageId, { deleted: true });
  if (which === 'draft') return { ...(page.draft as ComparableComposition), path: page.path };
  const version = which === 'published' ? (page.published_version ?? null) : which;
  // An unpublished page shows visitors nothing: compared as empty.
  if (version === null) return { path: page.path, title: '', meta: {}, sections: [] };
  return (await versionOf(tx, pageId, version)).composition as ComparableComposition;
}
