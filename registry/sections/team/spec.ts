import { z } from 'zod';
import { image, optionalText, text } from '../../shared/fields.ts';
import type { SectionSpec } from '../../types.ts';

export const teamSchema = z.strictObject({
  title: text(120),
  intro: optionalText(400),
  members: z
    .array(z.strictObject({ name: text(80), role: text(80), bio: optionalText(300), photo: image.optional() }))
    .min(1)
    .max(24),
  /** Opening hours or a booking note, shown by variants that have room for it. */
  note: optionalText(300),
});
export type TeamProps = z.infer<typeof teamSchema>;

export const team: SectionSpec<typeof teamSchema> = {
  type: 'team',
  label: 'Team',
  description: 'The people behind the site, with their roles, short bios and photos.',
  schema: teamSchema,
  defaultProps: { title: 'Our team', members: [{ name: 'A name', role: 'Their role' }] },
  interactive: false,
  fragment: 'cacheable',
  variants: {
    'clientsite-care': { description: 'Care team with a side panel for hours and bookings.', tenant: 'clientsite' },
  },
};
