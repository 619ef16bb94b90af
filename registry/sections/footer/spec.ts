import { z } from 'zod';
import { link, optionalText, text } from '../../shared/fields.ts';
import type { SectionSpec } from '../../types.ts';

export const footerSchema = z.strictObject({
  tagline: optionalText(200),
  columns: z.array(z.strictObject({ title: text(60), links: z.array(link).max(8) })).max(4).default([]),
  legal: optionalText(200),
});
export type FooterProps = z.infer<typeof footerSchema>;

export const footer: SectionSpec<typeof footerSchema> = {
  type: 'footer',
  label: 'Footer',
  description: 'The bottom of every page: a tagline, columns of links and the legal line.',
  schema: footerSchema,
  defaultProps: { columns: [] },
  interactive: false,
  // Not `fragment: 'cacheable'`: it shows the current year.
  variants: {},
};
