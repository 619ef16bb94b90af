import { presets } from '../../themes/index.ts';
import { formatIssuePath } from '../validation/issue-path.ts';
import { themeOverridesSchema, themeTokensSchema, type ThemeTokens } from './theme-schema.ts';

export class ThemeError extends Error {
  override name = 'ThemeError';
}

/** Every problem with a preset name and overrides, by path (`preset`, `overrides.fonts.body`); empty when they resolve. */
export function themeIssues(presetName: string, overrides: unknown): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  if (!Object.hasOwn(presets, presetName)) {
    issues.push({ path: 'preset', message: `unknown theme preset "${presetName}" (known: ${Object.keys(presets).join(', ')})` });
  }
  const parsed = themeOverridesSchema.safeParse(overrides ?? {});
  if (!parsed.success) {
    for (const i of parsed.error.issues) issues.push({ path: formatIssuePath(['overrides', ...i.path]), message: i.message });
  }
  return issues;
}

/** A preset with a tenant's validated overrides merged over it. Throws naming every bad path. */
export function resolveTheme(presetName: string, overrides: unknown): ThemeTokens {
  const preset = Object.hasOwn(presets, presetName) ? presets[presetName] : undefined;
  if (!preset) throw new ThemeError(`Unknown theme preset "${presetName}" (known: ${Object.keys(presets).join(', ')}).`);
  const parsed = themeOverridesSchema.safeParse(overrides ?? {});
  if (!parsed.success) {
    const lines = themeIssues(presetName, overrides).map((i) => `  ${i.path}: ${i.message}`);
    throw new ThemeError(`Invalid theme overrides:\n${lines.join('\n')}`);
  }
  const o = parsed.data;
  return themeTokensSchema.parse({
    ...preset,
    ...pick(o, ['colorScheme', 'radius', 'space', 'maxWidth']),
    colors: { ...preset.colors, ...o.colors },
    dark: preset.dark || o.dark ? { ...preset.dark, ...o.dark } : undefined,
    fonts: { ...preset.fonts, ...o.fonts },
  });
}

function pick<T extends object, K extends keyof T>(source: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
