import { z } from 'zod';
import { optionalText, text } from '../../shared/fields.ts';
import type { SectionSpec } from '../../types.ts';

export const testimonialsSchema = z.strictObject({
  title: text(120),
  items: z
    .array(z.strictObject({ quote: text(600), author: text(80), role: optionalText(120) }))
    .min(1)
    .max(12),
});
export type TestimonialsProps = z.infer<typeof testimonialsSchema>;

export const testimonials: SectionSpec<typeof testimonialsSchema> = {
  type: 'testimonials',
  label: 'Testimonials',
  description: 'Quotes from happy clients, with their names and roles.',
  schema: testimonialsSchema,
  defaultProps: { title: 'What clients say', items: [{ quote: 'A kind word about your work.', author: 'A client' }] },
  interactive: false,
  fragment: 'cacheable',
  variants: {
    carousel: { description: 'One quote at a time with previous/next buttons (hydrates on the client).', interactive: true },
  },
};
