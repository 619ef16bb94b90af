import { z } from 'zod';

// Tenants supply tokens, never CSS: every value is matched by a strict pattern, so nothing a tenant
// types can close a declaration, open a rule or load a resource.
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a hex colour like #1a2b3c');
const length = z.string().regex(/^\d{1,3}(\.\d{1,3})?(px|rem|em)$/, 'must be a length like 0.5rem or 12px');
// A font stack is a comma-separated list of family names, each either bare words (CSS
// identifiers: `Helvetica Neue`, `-apple-system`) or one name in matching quotes (`'Segoe UI'`).
// Quotes are never nested or left open, so a value cannot end its declaration.
const IDENT = String.raw`-?[A-Za-z_][A-Za-z0-9_-]*`;
const QUOTED_NAME = String.raw`[A-Za-z0-9][A-Za-z0-9 _-]*`;
const FAMILY = String.raw`(?:${IDENT}(?: ${IDENT})*|'${QUOTED_NAME}'|"${QUOTED_NAME}")`;
const FONT_STACK = new RegExp(String.raw`^${FAMILY}(?: ?, ?${FAMILY})*$`);
const fontStack = z
  .string()
  .max(200)
  .regex(FONT_STACK, 'must be font family names separated by commas, each bare words or one name in matching quotes');

export const colorsSchema = z.strictObject({
  background: color,
  surface: color,
  text: color,
  muted: color,
  primary: color,
  onPrimary: color,
  accent: color,
  onAccent: color,
  border: color,
});

export const themeTokensSchema = z.strictObject({
  colors: colorsSchema,
  /** Used under `prefers-color-scheme: dark` when colorScheme is `auto`, always when `dark`. */
  dark: colorsSchema.partial().optional(),
  colorScheme: z.enum(['light', 'dark', 'auto']),
  fonts: z.strictObject({ body: fontStack, heading: fontStack }),
  radius: length,
  space: length,
  maxWidth: length,
});

export type ThemeTokens = z.infer<typeof themeTokensSchema>;
export type ThemeColors = z.infer<typeof colorsSchema>;

/** What a tenant may override: any subset of the tokens, nothing else. */
export const themeOverridesSchema = z.strictObject({
  colors: colorsSchema.partial().optional(),
  dark: colorsSchema.partial().optional(),
  colorScheme: themeTokensSchema.shape.colorScheme.optional(),
  fonts: z.strictObject({ body: fontStack.optional(), heading: fontStack.optional() }).optional(),
  radius: length.optional(),
  space: length.optional(),
  maxWidth: length.optional(),
});

export type ThemeOverrides = z.infer<typeof themeOverridesSchema>;
