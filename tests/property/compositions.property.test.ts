import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { catalog } from '../../registry/catalog.ts';
import { validateComposition } from '../../src/compositions/validate-composition.ts';
import { publishAs } from '../support/publish.ts';
import { queryPublishedPage } from '../../src/site/site-queries.ts';
import { formatIssuePath } from '../../src/validation/issue-path.ts';
import { findUnstorableText, UNSTORABLE_TEXT } from '../../src/validation/storable-text.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';

// Text as editors send it: mostly ordinary, sometimes with a NUL or an unpaired surrogate.
const BAD = ['\u0000', '\ud800', '\udbff', '\udc00', '\udfff'];
const unit = fc.oneof(
  { weight: 20, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.constantFrom(...BAD) },
);
const text = (max: number) => fc.string({ unit, minLength: 1, maxLength: max });
const segment = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,8}$/);
const path = fc.array(segment, { maxLength: 3 }).map((s) => `/${s.join('/')}`);

const section = fc.oneof(
  fc.record({ type: fc.constant('hero'), props: fc.record({ title: text(40), subtitle: text(60), highlights: fc.array(text(20), { maxLength: 3 }) }, { requiredKeys: ['title'] }) }),
  fc.record({ type: fc.constant('rich-text'), props: fc.record({ title: text(30), html: text(80).map((t) => `<p>${t}</p>`) }, { requiredKeys: ['html'] }) }),
  fc.record({
    type: fc.constant('testimonials'),
    props: fc.record({ title: text(30), items: fc.array(fc.record({ quote: text(60), author: text(20) }), { minLength: 1, maxLength: 3 }) }),
  }),
);
const composition = fc.record({
  path,
  title: text(40),
  meta: fc.record({ description: text(60) }, { requiredKeys: [] }),
  sections: fc.array(section, { maxLength: 4 }),
});

/** Paths (as keys) of every string leaf, for mutating one. */
function stringLeaves(value: unknown, at: PropertyKey[] = []): PropertyKey[][] {
  if (typeof value === 'string') return [at];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, [...at, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...at, k]));
  return [];
}
function setAt(root: unknown, keys: PropertyKey[], value: string): void {
  let node = root as Record<PropertyKey, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<PropertyKey, unknown>;
  node[keys.at(-1) as PropertyKey] = value;
}

const DEMO_PAGES = readdirSync(new URL('../../tenants/', import.meta.url)).flatMap((slug) => {
  const dir = new URL(`../../tenants/${slug}/pages/`, import.meta.url);
  let files: string[] = [];
  try {
    files = readdirSync(dir);
  } catch {
    return [];
  }
  return files.map((file) => ({ slug, page: JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as unknown }));
});

describe('page compositions (property)', () => {
  test('an accepted composition holds only storable text and round-trips through JSON', () => {
    fc.assert(
      fc.property(composition, (input) => {
        const result = validateComposition(input, 'acme', catalog);
        if (!result.ok) return;
        expect(findUnstorableText(result.composition)).toEqual([]);
        expect(JSON.parse(JSON.stringify(result.composition))).toEqual(result.composition);
      }),
      { numRuns: 500 },
    );
  });

  test('any unstorable text is refused, at its own path', () => {
    fc.assert(
      fc.property(composition, (input) => {
        const bad = findUnstorableText(input);
        if (bad.length === 0) return;
        const result = validateComposition(input, 'acme', catalog);
        expect(result.ok).toBe(false);
        const issues = result.ok ? [] : result.issues;
        for (const where of bad) expect(issues).toContainEqual({ path: where, message: UNSTORABLE_TEXT });
      }),
      { numRuns: 500 },
    );
  });

  test('a demo page with one field mutated into unstorable text is refused, naming that field', () => {
    expect(DEMO_PAGES.length).toBeGreaterThan(10);
    fc.assert(
      fc.property(fc.constantFrom(...DEMO_PAGES), fc.nat(), fc.nat(), fc.constantFrom(...BAD), ({ slug, page }, leafIndex, position, bad) => {
        expect(validateComposition(page, slug, catalog).ok).toBe(true);
        const mutated = structuredClone(page);
        const leaves = stringLeaves(mutated);
        const leaf = leaves[leafIndex % leaves.length] as PropertyKey[];
        const original = leaf.reduce<unknown>((node, key) => (node as Record<PropertyKey, unknown>)[key], mutated) as string;
        const at = position % (original.length + 1);
        setAt(mutated, leaf, `${original.slice(0, at)}${bad}${original.slice(at)}`);
        const result = validateComposition(mutated, slug, catalog);
        expect(result.ok).toBe(false);
        expect(result.ok ? [] : result.issues).toContainEqual({ path: formatIssuePath(leaf), message: UNSTORABLE_TEXT });
      }),
      { numRuns: 300 },
    );
  });

  describe('stored in PostgreSQL', () => {
    const dbs = openTestDatabases(2);
    let tenant: { id: string; slug: string };
    beforeAll(async () => {
      // Forty random paths are forty pages: a plan without a page limit keeps this about storage.
      tenant = await createTestTenant(dbs.admin, { plan: 'enterprise' });
    });
    afterAll(() => dbs.close());

    test('any composition the validator accepts is published and read back unchanged', async () => {
      await fc.assert(
        fc.asyncProperty(composition, async (input) => {
          const result = validateComposition(input, tenant.slug, catalog);
          fc.pre(result.ok);
          if (!result.ok) return;
          await publishAs(dbs.app, tenant.id, input);
          expect(await queryPublishedPage(dbs.app, tenant.id, result.composition.path)).toEqual(result.composition);
        }),
        { numRuns: 40 },
      );
    }, 60_000);
  });
});
