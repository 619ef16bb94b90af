import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { presets } from '../../themes/index.ts';
import { contrastRatio, contrastReport, renderThemeCss, resolveTheme } from '../../src/theme/index.ts';
import { postsFileSchema, tenantFileSchema } from '../../src/tenants/tenant-file.ts';

const TENANT_DIRS = readdirSync(new URL('../../tenants/', import.meta.url));
const readJson = (path: string): unknown => JSON.parse(readFileSync(new URL(`../../tenants/${path}`, import.meta.url), 'utf8'));

describe('theme tokens are data, never CSS', () => {
  test.each([
    [{ colors: { primary: 'red;} body{display:none' } }],
    [{ colors: { primary: 'url(https://evil.example/x)' } }],
    [{ colors: { text: 'expression(alert(1))' } }],
    [{ fonts: { body: 'Arial</style><script>alert(1)</script>' } }],
    [{ fonts: { heading: 'Inter; color: red' } }],
    [{ radius: '4px; background: red' }],
    [{ radius: 'calc(100%)' }],
    [{ colors: { primary: '#12345' } }],
    [{ css: 'body { color: red }' }],
    [{ colors: { primary: '#123456', glow: '#ffffff' } }],
  ])('rejects %j', (overrides) => {
    expect(() => resolveTheme('ocean', overrides)).toThrow(/Invalid theme overrides/);
  });

  test('an unknown preset is refused', () => {
    expect(() => resolveTheme('neon', {})).toThrow(/Unknown theme preset "neon"/);
  });

  test('overrides merge over the preset', () => {
    const tokens = resolveTheme('ocean', { colors: { primary: '#0b3d91' }, radius: '2px', dark: { primary: '#93c5fd' } });
    expect(tokens.colors.primary).toBe('#0b3d91');
    expect(tokens.colors.text).toBe(presets.ocean!.colors.text);
    expect(tokens.radius).toBe('2px');
    expect(tokens.dark?.primary).toBe('#93c5fd');
    expect(tokens.dark?.background).toBe(presets.ocean!.dark?.background);
  });
});

describe('theme CSS', () => {
  const css = renderThemeCss(resolveTheme('ocean', {}));

  test('declares every custom property on its class, with dark mode for auto themes', () => {
    for (const name of ['background', 'surface', 'text', 'muted', 'primary', 'on-primary', 'accent', 'on-accent', 'border']) {
      expect(css.css).toContain(`--color-${name}:`);
    }
    for (const name of ['--font-body', '--font-heading', '--radius', '--space', '--max-width']) expect(css.css).toContain(`${name}:`);
    expect(css.css.startsWith(`.${css.className}{`)).toBe(true);
    expect(css.css).toContain('@media (prefers-color-scheme: dark)');
    expect(css.css).not.toContain('<');
  });

  test('is stable for the same tokens and differs for different ones', () => {
    expect(renderThemeCss(resolveTheme('ocean', {}))).toEqual(css);
    expect(renderThemeCss(resolveTheme('ocean', { colors: { primary: '#000000' } })).className).not.toBe(css.className);
  });

  test('an always-dark theme uses its dark palette without a media query', () => {
    const dark = renderThemeCss(resolveTheme('midnight', {}));
    expect(dark.css).toContain(`--color-background:${presets.midnight!.colors.background}`);
    expect(dark.css).toContain('color-scheme:dark');
  });
});

describe('contrast', () => {
  test('matches known WCAG values', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
  });

  test.each(Object.keys(presets))('preset %s meets WCAG AA on every text pair', (name) => {
    const failing = contrastReport(presets[name]!).filter((c) => !c.passesAA);
    expect(failing).toEqual([]);
  });

  test.each(TENANT_DIRS)('demo tenant %s meets WCAG AA in every palette', (slug) => {
    const file = tenantFileSchema.parse(readJson(`${slug}/tenant.json`));
    const failing = contrastReport(resolveTheme(file.theme.preset, file.theme.overrides)).filter((c) => !c.passesAA);
    expect(failing).toEqual([]);
  });
});

describe('demo tenant files', () => {
  test.each(TENANT_DIRS)('%s parses, and its posts too', (slug) => {
    const file = tenantFileSchema.parse(readJson(`${slug}/tenant.json`));
    expect(file.slug).toBe(slug);
    if (file.status === 'active') expect(postsFileSchema.parse(readJson(`${slug}/posts.json`)).length).toBeGreaterThan(0);
  });

  test('there are at least three active demo tenants on different presets, and one suspended', () => {
    const files = TENANT_DIRS.map((slug) => tenantFileSchema.parse(readJson(`${slug}/tenant.json`)));
    const active = files.filter((f) => f.status === 'active');
    expect(active.length).toBeGreaterThanOrEqual(3);
    expect(new Set(active.map((f) => f.theme.preset)).size).toBe(active.length);
    expect(files.some((f) => f.status === 'suspended')).toBe(true);
  });
});
