import { z } from 'zod';
import { link, optionalText, text } from '../../shared/fields.ts';
import type { PostSummary, SectionSpec } from '../../types.ts';

export const blogSchema = z.strictObject({
  title: text(120),
  intro: optionalText(400),
  limit: z.number().int().min(1).max(12).default(3),
  allPostsLink: link.optional(),
});
export type BlogProps = z.infer<typeof blogSchema>;

export const blog: SectionSpec<typeof blogSchema, readonly PostSummary[]> = {
  type: 'blog',
  label: 'Latest posts',
  schema: blogSchema,
  interactive: false,
  variants: {},
  load: (source, props) => source.latestPosts(props.limit),
  // Posts can be scheduled: a page listing them is reused for a minute at most.
  maxAgeSeconds: 60,
};
