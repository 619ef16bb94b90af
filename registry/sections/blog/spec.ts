import { z } from 'zod';
import { link, optionalText, text } from '../../shared/fields.ts';
import type { LatestPosts, SectionSpec } from '../../types.ts';

export const blogSchema = z.strictObject({
  title: text(120),
  intro: optionalText(400),
  limit: z.number().int().min(1).max(12).default(3),
  allPostsLink: link.optional(),
});
export type BlogProps = z.infer<typeof blogSchema>;

export const blog: SectionSpec<typeof blogSchema, LatestPosts> = {
  type: 'blog',
  label: 'Latest posts',
  description: "Shows the site's latest blog posts, newest first, with a link to all of them.",
  schema: blogSchema,
  defaultProps: { title: 'Latest posts', limit: 3 },
  interactive: false,
  // Not `fragment: 'cacheable'`: its posts list changes with posts and the schedule, not with its props.
  variants: {},
  load: (source, props) => source.latestPosts(props.limit),
  // Changing a post bumps the site version; a scheduled post appears on time because a page
  // listing posts is reused only until the next one goes live.
  maxAgeSeconds: (data) => (data.nextPublishAt ? Math.max(1, Math.ceil((Date.parse(data.nextPublishAt) - Date.now()) / 1000)) : null),
};
