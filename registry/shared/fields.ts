import { z } from 'zod';
import { assetUrlSchema } from '../../src/validation/asset-url.ts';

// Building blocks for section props. Props are data: plain text, safe links, images with alt text.

export const text = (max: number) => z.string().trim().min(1).max(max);
export const optionalText = (max: number) => z.string().trim().max(max).optional();

/** Site paths, in-page anchors, http(s), mailto and tel links; never `javascript:` or `data:`. */
export const href = z
  .string()
  .max(2048)
  .regex(/^(\/(?!\/)[^\s"'<>\\]*|#[A-Za-z0-9_-]*|https?:\/\/[^\s"'<>\\]+|mailto:[^\s"'<>\\]+|tel:\+?[0-9 ()-]{3,30})$/, 'must be a site path, #anchor, http(s), mailto: or tel: link');

export const link = z.strictObject({ label: text(60), href });
export type Link = z.infer<typeof link>;

/** Images need alt text; an empty alt is allowed only when marked decorative. */
export const image = z
  .strictObject({
    src: assetUrlSchema,
    alt: z.string().trim().max(200),
    decorative: z.boolean().optional(),
  })
  .refine((img) => img.decorative === true || img.alt.length > 0, { message: 'alt text is required unless decorative', path: ['alt'] });
export type Image = z.infer<typeof image>;

export const ICON_NAMES = ['code', 'shield', 'bolt', 'cloud', 'heart', 'star', 'users', 'chart', 'lock', 'globe', 'calendar', 'smile', 'check', 'layers'] as const;
export const iconName = z.enum(ICON_NAMES);
export type IconName = z.infer<typeof iconName>;
