import { describe, expect, test } from 'vitest';
import { catalog } from '../../registry/catalog.ts';
import { image } from '../../registry/shared/fields.ts';
import { compositionSchema } from '../../src/compositions/composition-schema.ts';
import { tenantFileSchema } from '../../src/tenants/tenant-file.ts';
import { assetUrlSchema, isAssetUrl } from '../../src/validation/asset-url.ts';

const ACCEPTED = ['/og.png', '/brand/acme/logo.svg', '/images/a%20b.png?v=2#x', 'https://cdn.example.com/a.png', 'https://cdn.example.com:8443/a.png?x=1', 'HTTPS://CDN.example.com/a.png'];
const REFUSED = [
  '//evil.example/x.png',
  '/\\evil.example/x.png',
  '/a\\b.png',
  '\\\\evil.example\\x.png',
  'javascript:alert(1)',
  'JavaScript:alert(1)',
  'data:image/svg+xml;base64,PHN2Zz4=',
  'http://cdn.example.com/a.png',
  'https://user:pass@evil.example/a.png',
  'https://evil.example@good.example/a.png',
  'https:evil.example/a.png',
  'https:///a.png',
  'ftp://cdn.example.com/a.png',
  'logo.svg',
  '',
  '/a b.png',
  '/a"onerror="x.png',
  '/a<script>.png',
  '/a\u0000.png',
  '/a\n.png',
  `/${'a'.repeat(2048)}`,
];

describe('asset URLs: a site path or an https URL, one rule everywhere', () => {
  test.each(ACCEPTED)('accepts %s', (url) => {
    expect(isAssetUrl(url)).toBe(true);
    expect(assetUrlSchema.safeParse(url).success).toBe(true);
  });

  test.each(REFUSED)('refuses %j', (url) => {
    expect(assetUrlSchema.safeParse(url).success).toBe(false);
  });

  test.each(REFUSED)('a social image %j is refused in a composition', (url) => {
    const result = compositionSchema.safeParse({ path: '/', title: 'Home', meta: { ogImage: url }, sections: [] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['meta', 'ogImage']);
  });

  test.each(REFUSED)('an image src %j is refused in section props', (url) => {
    expect(image.safeParse({ src: url, alt: 'A photo' }).success).toBe(false);
    const checked = catalog.validateSections([{ type: 'team', props: { title: 'Team', members: [{ name: 'A', role: 'B', photo: { src: url, alt: 'A' } }] } }], 'acme');
    expect(checked.issues.map((i) => i.path)).toContain('sections[0].props.members[0].photo.src');
  });

  test.each(REFUSED)('a theme logo or favicon %j is refused in a tenant file', (url) => {
    const file = (theme: object) => ({ slug: 'acme', name: 'Acme', status: 'active', plan: 'free', theme: { preset: 'ocean', ...theme } });
    expect(tenantFileSchema.safeParse(file({ logoUrl: url })).success).toBe(false);
    expect(tenantFileSchema.safeParse(file({ faviconUrl: url })).success).toBe(false);
    expect(tenantFileSchema.safeParse(file({ logoUrl: '/brand/acme/logo.svg', faviconUrl: 'https://cdn.example.com/f.ico' })).success).toBe(true);
  });
});
