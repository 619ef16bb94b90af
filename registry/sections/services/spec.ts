import { z } from 'zod';
import { link, optionalText, text } from '../../shared/fields.ts';
import type { SectionSpec } from '../../types.ts';

export const servicesSchema = z.strictObject({
  title: text(120),
  intro: optionalText(400),
  items: z
    .array(
      z.strictObject({
        name: text(80),
        description: text(400),
        price: optionalText(40),
        points: z.array(text(120)).max(6).default([]),
        link: link.optional(),
      }),
    )
    .min(1)
    .max(9),
});
export type ServicesProps = z.infer<typeof servicesSchema>;

// The default component is React rendered on the server only: no client code is shipped.
export const services: SectionSpec<typeof servicesSchema> = {
  type: 'services',
  label: 'Services',
  description: 'The services you offer, each with a description, an optional price and a link.',
  schema: servicesSchema,
  defaultProps: { title: 'Services', items: [{ name: 'A service', description: 'What it includes.' }] },
  interactive: false,
  // Not `fragment: 'cacheable'`: its default is a React component, and React numbers what it
  // renders per page (island prefixes, ids), so its HTML depends on the rest of the page.
  variants: {
    'clientsite-treatments': { description: 'Treatments with prices and a booking line.', tenant: 'clientsite' },
  },
};
