import { z } from 'zod';
import { link } from '../../shared/fields.ts';
import type { SectionSpec } from '../../types.ts';

export const headerSchema = z.strictObject({
  links: z.array(link).max(8).default([]),
  cta: link.optional(),
});
export type HeaderProps = z.infer<typeof headerSchema>;

export const header: SectionSpec<typeof headerSchema> = {
  type: 'header',
  label: 'Header and navigation',
  description: "The top of every page: the site's logo and name, navigation links and an optional button.",
  schema: headerSchema,
  defaultProps: { links: [{ label: 'Home', href: '/' }] },
  interactive: false,
  fragment: 'cacheable',
  variants: {},
};
