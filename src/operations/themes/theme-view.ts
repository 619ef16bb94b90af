import type { Transaction } from 'kysely';
import { presets } from '../../../themes/index.ts';
import type { Database } from '../../db/schema.ts';
import { contrastReport, resolveTheme, type ContrastCheck, type ThemeTokens } from '../../theme/index.ts';

export interface ThemeView {
  preset: string;
  overrides: Record<string, unknown>;
  logoUrl: string | null;
  faviconUrl: string | null;
  /** Send it back as `expectedRevision` (the API's ETag); 0 when the site has no theme yet. */
  revision: number;
  updatedAt: string | null;
  /** The preset with the overrides applied: what visitors get. */
  tokens: ThemeTokens | null;
  contrast: ContrastCheck[];
  presets: string[];
}

const DEFAULT_PRESET = 'ocean';

/** The tenant's theme as stored, resolved, and checked for contrast. */
export async function readThemeView(trx: Transaction<Database>, tenantId: string): Promise<ThemeView> {
  const row = await trx
    .selectFrom('themes')
    .select(['preset', 'overrides', 'logo_url', 'favicon_url', 'revision', 'updated_at'])
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  const preset = row?.preset ?? DEFAULT_PRESET;
  const overrides = row?.overrides ?? {};
  let tokens: ThemeTokens | null = null;
  try {
    tokens = resolveTheme(preset, overrides);
  } catch {
    // A stored theme that no longer resolves (a preset since removed) is shown as stored.
  }
  return {
    preset,
    overrides,
    logoUrl: row?.logo_url ?? null,
    faviconUrl: row?.favicon_url ?? null,
    revision: row?.revision ?? 0,
    updatedAt: row ? new Date(row.updated_at).toISOString() : null,
    tokens,
    contrast: tokens ? contrastReport(tokens) : [],
    presets: Object.keys(presets),
  };
}
