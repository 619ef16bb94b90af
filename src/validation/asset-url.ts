import { z } from 'zod';

// A site path: one leading slash (two would make it protocol-relative: `//evil.example/x.png`).
const SITE_PATH = /^\/(?![/\\])[^\s"'<>\\`\u0000-\u001f\u007f]*$/;
// An https URL with a plain host (no userinfo, which can disguise the real host) and an optional port.
const HTTPS_URL = /^https:\/\/[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::[0-9]{1,5})?(?:[/?#][^\s"'<>\\`\u0000-\u001f\u007f]*)?$/i;

/** True for a site path (`/brand/logo.svg`) or an absolute `https:` URL; never `//host`, `javascript:`, `data:` or a backslash. */
export function isAssetUrl(value: string): boolean {
  if (SITE_PATH.test(value)) return true;
  return HTTPS_URL.test(value) && URL.canParse(value);
}

/** The one rule for images, logos, favicons and social images a tenant points to. */
export const assetUrlSchema = z
  .string()
  .max(2048)
  .refine(isAssetUrl, 'must be a site path like /images/a.png or an https:// URL');
