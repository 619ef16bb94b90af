export { contrastRatio, contrastReport, luminance, type ContrastCheck } from './contrast.ts';
export { resolveTheme, themeIssues, ThemeError } from './resolve-theme.ts';
export { renderThemeCss } from './theme-css.ts';
export { themeOverridesSchema, themeTokensSchema, type ThemeOverrides, type ThemeTokens } from './theme-schema.ts';
