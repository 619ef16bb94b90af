import { renderThemeCss, resolveTheme } from '../theme/index.ts';
import type { ThemeRecord } from './site-types.ts';

/** A tenant's theme as the page head needs it; rendered once per site version and cached. */
export interface RenderedTheme {
  className: string;
  css: string;
  logoUrl: string | null;
  faviconUrl: string | null;
}

export const FALLBACK_PRESET = 'ocean';

/** Stored themes were validated on write; a tenant without one gets the fallback preset. */
export function renderTenantTheme(record: ThemeRecord | null): RenderedTheme {
  const tokens = resolveTheme(record?.preset ?? FALLBACK_PRESET, record?.overrides ?? {});
  const { className, css } = renderThemeCss(tokens);
  return { className, css, logoUrl: record?.logoUrl ?? null, faviconUrl: record?.faviconUrl ?? null };
}
