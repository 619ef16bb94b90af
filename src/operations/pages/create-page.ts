import { z } from 'zod';
import { describeActor } from '../actor.ts';
import { defineOperation } from '../operation.ts';
import { livePageCount, requireRoomFor } from '../plan-limits.ts';
import { draftSchema, pageIdSchema, pagePathSchema, type Draft, type PageView } from './page-schemas.ts';
import { findPageRow, readPageView, refusingTakenPath } from './page-store.ts';

/**
 * A new page at a free path, unpublished: blank, or with a copy of another page's draft. Its
 * draft starts at revision 1.
 */
export const createPage = defineOperation({
  name: 'page.create',
  scope: 'tenant',
  action: 'page.edit',
  mutates: true,
  input: z.strictObject({
    path: pagePathSchema,
    title: z.string().max(160).optional(),
    /** Copy this page's draft. */
    fromPageId: pageIdSchema.optional(),
  }),
  async run(tx, input): Promise<PageView> {
    await requireRoomFor(tx, 'pages', () => livePageCount(tx));
    const source = input.fromPageId ? ((await findPageRow(tx, input.fromPageId)).draft as Draft) : draftSchema.parse({});
    const draft: Draft = { ...source, title: input.title ?? source.title };
    const created = await refusingTakenPath(input.path, () =>
      tx.trx
        .insertInto('pages')
        .values({
          tenant_id: tx.tenant!.id,
          path: input.path,
          draft: JSON.stringify(draft),
          draft_revision: 1,
          draft_updated_at: tx.now,
          draft_updated_by: describeActor(tx.actor).label,
        })
        .returning('id')
        .executeTakeFirstOrThrow(),
    );
    await tx.audit({ subject: input.path, after: draft, detail: { pageId: created.id, copiedFrom: input.fromPageId ?? null } });
    return readPageView(tx, created.id);
  },
});
