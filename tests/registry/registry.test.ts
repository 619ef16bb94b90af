import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { catalog, createCatalog } from '../../registry/catalog.ts';
import { components } from '../../registry/components.ts';
import { createRegistry, UnknownSectionError } from '../../registry/registry.ts';
import { sanitizeRichText } from '../../registry/sections/rich-text/sanitize.ts';
import { validateComposition } from '../../src/compositions/validate-composition.ts';

const registry = createRegistry(catalog, components);

describe('variant resolution', () => {
  test('a named variant wins', () => {
    const r = registry.resolve({ type: 'hero', variant: 'split' }, 'darkflows');
    expect(r.variant).toBe('split');
    expect(r.component).toBe(components.hero?.variants.split);
  });

  test('without a name, the tenant’s own variant is chosen over the default', () => {
    const r = registry.resolve({ type: 'hero' }, 'darkflows');
    expect(r.variant).toBe('darkflows-terminal');
    expect(r.component).toBe(components.hero?.variants['darkflows-terminal']);
  });

  test('other tenants get the default', () => {
    const r = registry.resolve({ type: 'hero' }, 'codersinflow');
    expect(r.variant).toBeNull();
    expect(r.component).toBe(components.hero?.default);
  });

  test('another tenant’s variant is never used, even when named', () => {
    const r = registry.resolve({ type: 'hero', variant: 'darkflows-terminal' }, 'clientsite');
    expect(r.variant).toBeNull();
    expect(r.component).toBe(components.hero?.default);
  });

  test('an unknown type throws instead of rendering nothing', () => {
    expect(() => registry.resolve({ type: 'marquee' }, 'darkflows')).toThrow(UnknownSectionError);
  });

  test('each demo tenant owns at least one variant', () => {
    const owners = new Set(catalog.types().flatMap((t) => Object.values(catalog.get(t)!.variants).map((v) => v.tenant)));
    for (const slug of ['codersinflow', 'darkflows', 'clientsite']) expect(owners).toContain(slug);
  });

  test('every variant the catalog names has a component, and a missing one is caught at start-up', () => {
    expect(() => createRegistry(catalog, components)).not.toThrow();
    const spec = catalog.get('hero')!;
    const broken = createCatalog([{ ...spec, variants: { ...spec.variants, ghost: { description: 'no component' } } }]);
    expect(() => createRegistry(broken, components)).toThrow(/ghost/);
  });
});

describe('section validation', () => {
  test('reports every problem with its path and applies defaults', () => {
    const { sections, issues } = catalog.validateSections(
      [
        { type: 'blog', props: { title: 'News' } },
        { type: 'hero', props: { title: 'x'.repeat(500) } },
        { type: 'team', props: { title: 'Team', members: [{ name: 'A', role: 'B', photo: { src: '/a.png', alt: '' } }] } },
        { type: 'header', props: { links: [{ label: 'Home', href: 'javascript:void(0)' }], extra: 1 } },
        { type: 'hero', variant: 'nope', props: { title: 'x' } },
        'not an object',
      ],
      'codersinflow',
    );
    expect(sections[0]).toEqual({ type: 'blog', props: { title: 'News', limit: 3 } });
    expect(issues.map((i) => i.path)).toEqual([
      'sections[1].props.title',
      'sections[2].props.members[0].photo.alt',
      'sections[3].props.links[0].href',
      'sections[3].props',
      'sections[4].variant',
      'sections[5]',
    ]);
  });

  test('a hidden section is validated like any other and keeps its flag; `hidden` must be a boolean', () => {
    const page = (hidden: unknown, title = 'Hi') => ({ path: '/x', title: 'X', sections: [{ type: 'hero', hidden, props: { title } }] });
    const ok = validateComposition(page(true), 'codersinflow', catalog);
    expect(ok.ok && ok.composition.sections[0]).toMatchObject({ type: 'hero', hidden: true });
    const shown = validateComposition(page(false), 'codersinflow', catalog);
    expect(shown.ok && shown.composition.sections[0]).not.toHaveProperty('hidden');
    const invalid = validateComposition(page(true, ''), 'codersinflow', catalog);
    expect(invalid.ok ? [] : invalid.issues.map((i) => i.path)).toEqual(['sections[0].props.title']);
    const wrong = validateComposition(page('yes'), 'codersinflow', catalog);
    expect(wrong.ok ? [] : wrong.issues.map((i) => i.path)).toEqual(['sections[0].hidden']);
  });

  test('every demo page validates (guards the demo content)', () => {
    for (const slug of ['codersinflow', 'darkflows', 'clientsite']) {
      const dir = new URL(`../../tenants/${slug}/pages/`, import.meta.url);
      const files = readdirSync(dir);
      expect(files.length).toBeGreaterThanOrEqual(4);
      expect(files).toContain('not-found.json');
      for (const file of files) {
        const result = validateComposition(JSON.parse(readFileSync(new URL(file, dir), 'utf8')), slug, catalog);
        expect(result.ok ? [] : result.issues, `${slug}/${file}`).toEqual([]);
      }
    }
  });
});

describe('rich text sanitizer', () => {
  test.each([
    ['<script>alert(1)</script><p>ok</p>', '<p>ok</p>'],
    ['<img src=x onerror="alert(1)">', ''],
    ['<p onclick="steal()">hi</p>', '<p>hi</p>'],
    ['<a href="javascript:alert(1)">x</a>', '<a>x</a>'],
    ['<a href="//evil.example/x">x</a>', '<a>x</a>'],
    ['<p style="position:fixed">x</p>', '<p>x</p>'],
    ['<iframe src="https://evil.example"></iframe>', ''],
    ['<a href="https://ok.example">ok</a>', '<a href="https://ok.example" rel="noopener noreferrer">ok</a>'],
    ['<h2>Title</h2><ul><li><strong>a</strong></li></ul>', '<h2>Title</h2><ul><li><strong>a</strong></li></ul>'],
  ])('%s', (input, expected) => {
    expect(sanitizeRichText(input)).toBe(expected);
  });
});
