import { z } from 'zod';
import { optionalText } from '../../shared/fields.ts';
import type { SectionSpec } from '../../types.ts';
import { sanitizeRichText } from './sanitize.ts';

// Stored already sanitized, and sanitized again when rendered.
export const richTextSchema = z.strictObject({
  title: optionalText(140),
  html: z.string().max(20_000).transform(sanitizeRichText),
  narrow: z.boolean().default(true),
});
export type RichTextProps = z.infer<typeof richTextSchema>;

export const richText: SectionSpec<typeof richTextSchema> = {
  type: 'rich-text',
  label: 'Rich text',
  description: 'Formatted text — paragraphs, headings, lists, links — for articles and longer pages.',
  schema: richTextSchema,
  defaultProps: { html: '<p>Write here.</p>' },
  interactive: false,
  fragment: 'cacheable',
  variants: {},
};
