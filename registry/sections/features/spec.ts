import { z } from 'zod';
import { iconName, optionalText, text } from '../../shared/fields.ts';
import type { SectionSpec } from '../../types.ts';

export const featuresSchema = z.strictObject({
  title: text(120),
  intro: optionalText(400),
  items: z
    .array(z.strictObject({ icon: iconName.default('check'), title: text(80), text: text(400) }))
    .min(1)
    .max(12),
});
export type FeaturesProps = z.infer<typeof featuresSchema>;

export const features: SectionSpec<typeof featuresSchema> = {
  type: 'features',
  label: 'Features',
  description: 'A grid of short points, each with an icon, a title and a sentence.',
  schema: featuresSchema,
  defaultProps: { title: 'Why choose us', items: [{ icon: 'check', title: 'A first reason', text: 'One sentence about it.' }] },
  interactive: false,
  fragment: 'cacheable',
  variants: {
    cards: { description: 'Raised cards with a coloured top edge.' },
    'codersinflow-code': { description: 'Features as code cards, like an editor tab.', tenant: 'codersinflow' },
  },
};
