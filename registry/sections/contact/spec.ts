import { z } from 'zod';
import { optionalText, text } from '../../shared/fields.ts';
import type { SectionSpec } from '../../types.ts';

export const contactSchema = z.strictObject({
  title: text(120),
  intro: optionalText(400),
  email: z.email().optional(),
  phone: optionalText(40),
  address: optionalText(200),
  hours: optionalText(200),
  submitLabel: text(40).default('Send message'),
});
export type ContactProps = z.infer<typeof contactSchema>;

export const contact: SectionSpec<typeof contactSchema> = {
  type: 'contact',
  label: 'Contact form',
  schema: contactSchema,
  interactive: false,
  variants: {},
};
