import { z } from '@hono/zod-openapi';

// The answers of the content resources (pages, themes, posts, messages), for the OpenAPI document.
// Requests reuse the operations' own input schemas; these describe what the operations return.

const timestamp = z.string().openapi({ format: 'date-time', example: '2026-11-25T10:00:00.000Z' });

export const cursorPage = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable().openapi({ description: 'Null on the last page; pass it as `cursor` for the next.' }) }).openapi(name);

export const draftView = z
  .object({
    title: z.string(),
    meta: z.record(z.string(), z.unknown()),
    sections: z.array(z.object({ type: z.string(), variant: z.string().optional(), props: z.record(z.string(), z.unknown()) })),
  })
  .openapi('Draft');

export const pageSummary = z
  .object({
    id: z.uuid(),
    path: z.string(),
    title: z.string(),
    status: z.enum(['draft', 'published', 'unpublished', 'deleted']),
    draftPending: z.boolean(),
    draftRevision: z.number().int(),
    publishedVersion: z.number().int().nullable(),
    nextScheduledAt: timestamp.nullable(),
    updatedAt: timestamp,
    deletedAt: timestamp.nullable(),
  })
  .openapi('PageSummary');

export const pageView = pageSummary
  .extend({
    draft: draftView,
    draftUpdatedAt: timestamp,
    draftUpdatedBy: z.string().nullable(),
    published: z.object({ version: z.number().int(), composition: z.unknown(), publishedAt: timestamp, publishedBy: z.string() }).nullable(),
  })
  .openapi('Page');

export const savedDraft = z.object({ pageId: z.uuid(), revision: z.number().int(), updatedAt: timestamp }).openapi('SavedDraft');

export const publishResult = z
  .object({ pageId: z.uuid(), path: z.string(), version: z.number().int(), siteVersion: z.number().int() })
  .openapi('PublishResult');

export const pageRemoved = z.object({ pageId: z.uuid(), path: z.string(), siteVersion: z.number().int().nullable() }).openapi('PageRemoved');

export const versionSummary = z
  .object({ version: z.number().int(), createdAt: timestamp, createdBy: z.string(), sourceRevision: z.number().int().nullable(), published: z.boolean() })
  .openapi('VersionSummary');

export const versionView = versionSummary.extend({ composition: z.unknown() }).openapi('Version');

const valueChange = z.object({ path: z.string(), change: z.enum(['added', 'removed', 'changed']), before: z.unknown().optional(), after: z.unknown().optional() });

export const pageDiff = z
  .object({
    from: z.union([z.enum(['draft', 'published']), z.number().int()]),
    to: z.union([z.enum(['draft', 'published']), z.number().int()]),
    unchanged: z.boolean(),
    fields: z.array(valueChange),
    sections: z.array(
      z.object({
        change: z.enum(['added', 'removed', 'modified']),
        type: z.string(),
        from: z.number().int().optional(),
        to: z.number().int().optional(),
        moved: z.boolean().optional(),
        variant: z.object({ before: z.string().nullable(), after: z.string().nullable() }).optional(),
        props: z.array(valueChange).optional(),
      }),
    ),
    summary: z.array(z.string()),
  })
  .openapi('PageDiff');

export const jobView = z
  .object({
    id: z.uuid(),
    kind: z.string(),
    subject: z.string(),
    runAt: timestamp,
    status: z.string(),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    createdBy: z.object({ label: z.string(), kind: z.string(), id: z.string().nullable() }),
    createdAt: timestamp,
    finishedAt: timestamp.nullable(),
    payload: z.record(z.string(), z.unknown()),
  })
  .openapi('ScheduledPublish');

export const previewLink = z
  .object({
    url: z.string().openapi({ example: 'https://bakery.example.com/_mosaic/preview/cDE6…' }),
    draftRevision: z.number().int(),
    expiresAt: timestamp,
  })
  .openapi('PreviewLink');

export const themeView = z
  .object({
    preset: z.string(),
    overrides: z.record(z.string(), z.unknown()),
    logoUrl: z.string().nullable(),
    faviconUrl: z.string().nullable(),
    revision: z.number().int(),
    updatedAt: timestamp.nullable(),
    tokens: z.record(z.string(), z.unknown()).nullable(),
    contrast: z.array(z.object({ palette: z.string(), pair: z.string(), ratio: z.number(), passesAA: z.boolean() })),
    presets: z.array(z.string()),
  })
  .openapi('Theme');

export const postView = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    title: z.string(),
    excerpt: z.string(),
    body: z.string(),
    author: z.string().nullable(),
    publishedAt: timestamp.nullable(),
    status: z.enum(['draft', 'scheduled', 'published']),
    createdAt: timestamp,
    updatedAt: timestamp,
    updatedBy: z.string().nullable(),
  })
  .openapi('Post');

export const postRemoved = z.object({ postId: z.uuid(), siteVersion: z.number().int().nullable() }).openapi('PostRemoved');

export const submissionView = z
  .object({ id: z.uuid(), form: z.string(), page: z.string(), data: z.record(z.string(), z.string()), createdAt: timestamp })
  .openapi('Message');
