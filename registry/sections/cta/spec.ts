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
  schema: ctaSchema,
  interactive: false,
  variants: {},
};
