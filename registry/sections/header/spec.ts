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
  schema: headerSchema,
  interactive: false,
  variants: {},
};
