import { z } from 'zod';
import { link, optionalText, text } from '../../shared/fields.ts';
import type { SectionSpec } from '../../types.ts';

export const ctaSchema = z.strictObject({
  title: text(140),
  text: optionalText(400),
  action: link,
  secondary: link.optional(),
});
export type CtaProps = z.infer<typeof ctaSchema>;

export const cta: SectionSpec<typeof ctaSchema> = {
  type: 'cta',
  label: 'Call to action',
  description: 'A short headline with one or two buttons that ask visitors to act.',
  schema: ctaSchema,
  defaultProps: { title: 'Ready to start?', action: { label: 'Contact us', href: '/contact' } },
  interactive: false,
  fragment: 'cacheable',
  variants: {},
};
