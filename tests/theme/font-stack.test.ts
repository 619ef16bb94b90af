import { describe, expect, test } from 'vitest';
import { presets } from '../../themes/index.ts';
import { resolveTheme, themeIssues } from '../../src/theme/index.ts';

const body = (stack: string) => ({ fonts: { body: stack } });

describe('font stacks: comma-separated family names, each bare words or one quoted name', () => {
  test.each([
    'Inter',
    'Inter, sans-serif',
    "'Segoe UI', Roboto",
    '"Source Sans 3", system-ui, -apple-system, sans-serif',
    'Helvetica Neue, Arial',
    'Inter , Arial',
    ...Object.values(presets).flatMap((p) => [p.fonts.body, p.fonts.heading]),
  ])('accepts %s', (stack) => {
    expect(resolveTheme('ocean', body(stack)).fonts.body).toBe(stack);
  });

  test.each([
    `'Inter", x`,
    `'Inter`,
    `Inter'`,
    `"Inter`,
    `'It''s'`,
    `"A" "B"`,
    `'A'B`,
    'Inter;',
    'Inter; color: red',
    'Inter}body{display:none',
    'Inter{',
    'Inter\\',
    "'\\27 x'",
    'Inter/*',
    'url(x)',
    'Inter, url(https://evil.example/f.woff)',
    'a,,b',
    ',Inter',
    'Inter,',
    '3D',
    '--custom',
    'Inter  Arial',
    'Inter\nArial',
    'Inter\tArial',
    '',
    `'Arial</style><script>alert(1)</script>'`,
    'a'.repeat(201),
  ])('refuses %j', (stack) => {
    expect(() => resolveTheme('ocean', body(stack))).toThrow(/Invalid theme overrides/);
    expect(themeIssues('ocean', body(stack)).map((i) => i.path)).toEqual(['overrides.fonts.body']);
  });

  test('themeIssues names an unknown preset and every bad override at once', () => {
    expect(themeIssues('neon', { radius: '4px;', fonts: { heading: "'x" } }).map((i) => i.path)).toEqual([
      'preset',
      'overrides.fonts.heading',
      'overrides.radius',
    ].sort((a, b) => (a === 'preset' ? -1 : b === 'preset' ? 1 : 0)));
  });
});
