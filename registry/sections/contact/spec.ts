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
  description: "A contact form whose messages arrive in the site's inbox, with the ways to reach you beside it.",
  schema: contactSchema,
  defaultProps: { title: 'Get in touch', submitLabel: 'Send message' },
  interactive: false,
  // Not `fragment: 'cacheable'`: it shows the form's answer from the query string.
  variants: {},
};
