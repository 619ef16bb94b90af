import { z } from 'zod';
import { assetUrlSchema } from '../validation/asset-url.ts';

/** Paths are plain, lower-case, slash-separated; `/404` names the tenant's not-found page. */
export const pagePathSchema = z
  .string()
  .max(512)
  .regex(/^\/([a-z0-9][a-z0-9._~-]*(\/[a-z0-9][a-z0-9._~-]*)*)?$/, 'must be "/" or lower-case segments like "/about/team"')
  .refine((p) => !p.split('/').some((s) => s === '..' || s === '.'), 'must not contain "." or ".." segments');

/** Page-level fields; the sections' props are checked by the registry. */
export const compositionSchema = z.strictObject({
  path: pagePathSchema,
  title: z.string().trim().min(1).max(160),
  meta: z
    .strictObject({
      description: z.string().max(320).optional(),
      ogImage: assetUrlSchema.optional(),
      /** A path on the tenant's primary domain; absolute URLs are always built by Mosaic. */
      canonical: pagePathSchema.optional(),
      noindex: z.boolean().optional(),
    })
    .default({}),
  sections: z
    // `hidden` sections stay in the page (validated, kept in versions) but are never rendered.
    .array(z.looseObject({ type: z.string(), variant: z.string().optional(), hidden: z.boolean().optional(), props: z.unknown() }))
    .max(60),
});

export type CompositionInput = z.infer<typeof compositionSchema>;

export interface ParsedSection {
  type: string;
  variant?: string;
  /** Kept in the page but never shown to visitors (absent when shown). */
  hidden?: true;
  props: unknown;
}

/** A composition as stored and rendered: sections validated and defaults applied. */
export interface PageComposition {
  path: string;
  title: string;
  meta: CompositionInput['meta'];
  sections: ParsedSection[];
}
