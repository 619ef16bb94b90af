import { z } from 'zod';
import { compositionSchema, pagePathSchema } from '../../compositions/composition-schema.ts';

export const pageIdSchema = z.uuid();
export { pagePathSchema };

const MAX_DRAFT_BYTES = 512 * 1024;

/** A section as an editor saves it: its props are checked by the registry only on publish. */
export const draftSectionSchema = z.strictObject({
  type: z.string().min(1).max(60),
  variant: z.string().min(1).max(60).optional(),
  /** Kept in the page, never shown to visitors. */
  hidden: z.boolean().optional(),
  props: z.record(z.string(), z.unknown()).default({}),
});

/**
 * A page's working draft: the shape of a composition without its path (the page's own), saved as
 * often as the editor likes. It may be incomplete (an empty title, a section still missing its
 * required props); publishing validates it fully.
 */
export const draftSchema = z
  .strictObject({
    title: z.string().max(160).default(''),
    meta: compositionSchema.shape.meta,
    sections: z.array(draftSectionSchema).max(60).default([]),
  })
  .refine((draft) => Buffer.byteLength(JSON.stringify(draft)) <= MAX_DRAFT_BYTES, `a draft must stay under ${MAX_DRAFT_BYTES / 1024} KiB`);

export type Draft = z.output<typeof draftSchema>;

export const revisionSchema = z.coerce.number().int().min(0).max(2_147_483_647);
export const versionNumberSchema = z.coerce.number().int().min(1).max(2_147_483_647);

/** The state of a page as visitors and editors see it. */
export type PageStatus = 'draft' | 'published' | 'unpublished' | 'deleted';

export interface PageSummary {
  id: string;
  path: string;
  /** The draft's title. */
  title: string;
  status: PageStatus;
  /** Published, and the draft differs from what visitors see. */
  draftPending: boolean;
  draftRevision: number;
  /** The version visitors see; null unless published. */
  publishedVersion: number | null;
  /** The earliest scheduled publish still to run. */
  nextScheduledAt: string | null;
  updatedAt: string;
  deletedAt: string | null;
}

export interface PageView extends PageSummary {
  draft: Draft;
  draftUpdatedAt: string;
  draftUpdatedBy: string | null;
  published: { version: number; composition: unknown; publishedAt: string; publishedBy: string } | null;
}
