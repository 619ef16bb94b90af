import { z } from 'zod';
import { link, optionalText, text } from '../../shared/fields.ts';
import type { SectionSpec } from '../../types.ts';

export const heroSchema = z.strictObject({
  eyebrow: optionalText(80),
  title: text(140),
  subtitle: optionalText(400),
  primaryCta: link.optional(),
  secondaryCta: link.optional(),
  /** Short lines shown beside the headline (split and terminal variants). */
  highlights: z.array(text(120)).max(6).default([]),
});
export type HeroProps = z.infer<typeof heroSchema>;

export const hero: SectionSpec<typeof heroSchema> = {
  type: 'hero',
  label: 'Hero',
  description: 'The opening of a page: a large headline, a sentence under it and up to two buttons.',
  schema: heroSchema,
  defaultProps: { title: 'A headline that says what you do' },
  interactive: false,
  fragment: 'cacheable',
  variants: {
    split: { description: 'Headline on the left, highlights in a panel on the right.' },
    'darkflows-terminal': { description: 'Headline beside a terminal showing live firewall output.', tenant: 'darkflows' },
  },
};
