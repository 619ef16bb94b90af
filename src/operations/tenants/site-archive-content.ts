import { z } from 'zod';
import { emailSchema, tenantRoleSchema } from '../../auth/account-schemas.ts';
import { MEDIA_CONTENT_TYPES } from '../../media/media-formats.ts';
import { postsFileSchema, tenantFileSchema } from '../../tenants/tenant-file.ts';

// What a site archive (version 1) holds besides its manifest, one schema per entry. Importing
// parses every entry with these before anything is written.

const when = z.iso.datetime({ offset: true });
const json = z.record(z.string(), z.unknown());

/** `site.json`: the record, theme, domains (with their verification) and members (no passwords). */
export const archivedSiteSchema = z.strictObject({
  tenant: z.strictObject({
    slug: tenantFileSchema.shape.slug,
    name: tenantFileSchema.shape.name,
    status: tenantFileSchema.shape.status,
    plan: tenantFileSchema.shape.plan,
    planOverrides: json,
    settings: json,
    trialEndsAt: when.nullable(),
    createdAt: when,
  }),
  theme: tenantFileSchema.shape.theme.nullable(),
  domains: z.array(
    z.strictObject({
      hostname: tenantFileSchema.shape.domains.unwrap().element.shape.hostname,
      primary: z.boolean(),
      verified: z.boolean(),
      verifiedAt: when.nullable(),
      challengeToken: z.string().nullable(),
      createdAt: when,
    }),
  ),
  members: z.array(z.strictObject({ email: emailSchema, name: z.string(), role: tenantRoleSchema })),
});

/** `posts.json`: every post, drafts (no `publishedAt`) and scheduled ones included. */
export const archivedPostsSchema = z.array(
  postsFileSchema.element.extend({ publishedAt: when.nullable(), createdAt: when, updatedAt: when, updatedBy: z.string().nullable() }),
);

/** `pages/<n>.json`: one page with its whole history, its draft, and what is live or withdrawn. */
export const archivedPageSchema = z.strictObject({
  path: z.string().regex(/^\//).max(512),
  createdAt: when,
  updatedAt: when,
  draft: json,
  draftRevision: z.number().int().nonnegative(),
  draftUpdatedAt: when,
  draftUpdatedBy: z.string().nullable(),
  publishedVersion: z.number().int().positive().nullable(),
  withdrawnVersion: z.number().int().positive().nullable(),
  deletedAt: when.nullable(),
  deletedBy: z.string().nullable(),
  versions: z.array(
    z.strictObject({
      version: z.number().int().positive(),
      composition: json,
      createdBy: z.string(),
      createdAt: when,
      sourceRevision: z.number().int().nonnegative().nullable(),
    }),
  ),
});

/** `media.json`: each image's metadata; its bytes are `media/<id>`. */
export const archivedMediaSchema = z.array(
  z.strictObject({
    id: z.uuid(),
    contentType: z.enum(MEDIA_CONTENT_TYPES),
    byteSize: z.number().int().positive(),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    filename: z.string().max(255),
    alt: z.string().min(1).max(500),
    createdAt: when,
    createdBy: z.string(),
    updatedAt: when,
    updatedBy: z.string(),
  }),
);

export type ArchivedSite = z.output<typeof archivedSiteSchema>;
export type ArchivedPost = z.output<typeof archivedPostsSchema>[number];
export type ArchivedPage = z.output<typeof archivedPageSchema>;
export type ArchivedMedia = z.output<typeof archivedMediaSchema>[number];

export const SITE_ENTRY = 'site.json';
export const POSTS_ENTRY = 'posts.json';
export const MEDIA_ENTRY = 'media.json';
export const pageEntry = (index: number) => `pages/${String(index + 1).padStart(5, '0')}.json`;
export const mediaBytesEntry = (id: string) => `media/${id}`;

/**
 * Replaces image ids in `/_mosaic/media/<id>/` addresses anywhere in a JSON value (compositions,
 * drafts, theme, post bodies), for copies whose images got new ids.
 */
export function rewriteMediaIds<T>(value: T, ids: ReadonlyMap<string, string>): T {
  if (ids.size === 0) return value;
  const text = JSON.stringify(value).replace(/\/_mosaic\/media\/([0-9a-f-]{36})\//g, (whole, id: string) => {
    const to = ids.get(id);
    return to ? `/_mosaic/media/${to}/` : whole;
  });
  return JSON.parse(text) as T;
}

/** The image ids a JSON value's `/_mosaic/media/<id>/` addresses name. */
export function mediaIdsIn(value: unknown): Set<string> {
  return new Set([...JSON.stringify(value).matchAll(/\/_mosaic\/media\/([0-9a-f-]{36})\//g)].map((m) => m[1]!));
}
