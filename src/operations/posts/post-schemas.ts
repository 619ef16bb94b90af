import { z } from 'zod';

export const postIdSchema = z.uuid();
export const postSlugSchema = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,118}[a-z0-9])?$/, 'must be lower-case letters, digits and hyphens');

/** The fields an editor writes. */
export const postFieldsShape = {
  slug: postSlugSchema,
  title: z.string().trim().min(1).max(200),
  excerpt: z.string().max(500).default(''),
  body: z.string().max(50_000).default(''),
  author: z.string().trim().max(120).nullable().default(null),
  /** Null keeps it a draft; a time to come schedules it. */
  publishedAt: z.iso.datetime({ offset: true }).nullable().default(null),
};

export type PostStatus = 'draft' | 'scheduled' | 'published';

export interface PostView {
  id: string;
  slug: string;
  title: string;
  excerpt: string;
  body: string;
  author: string | null;
  publishedAt: string | null;
  status: PostStatus;
  createdAt: string;
  updatedAt: string;
  updatedBy: string | null;
}
