import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { pagePathSchema } from '../../src/compositions/composition-schema.ts';
import { normalizePath } from '../../src/render/plan-page.ts';

const segment = fc.stringMatching(/^[a-z0-9][a-z0-9._~-]{0,12}$/);
const validPath = fc.array(segment, { maxLength: 6 }).map((segments) => `/${segments.join('/')}`);
const pieces = fc.constantFrom('/', '//', '.', '..', '%2e', '%2F', '\\', '?', '#', 'A', 'a', '-', '~', ' ', '\u0000', 'é');
const anyPath = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.array(fc.oneof(pieces, segment), { maxLength: 10 }).map((p) => p.join('')),
  validPath,
);

describe('page paths (property)', () => {
  test('normalizePath never throws and is idempotent', () => {
    fc.assert(
      fc.property(anyPath, (raw) => {
        const once = normalizePath(raw);
        expect(normalizePath(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });

  test('every path built from valid segments is accepted', () => {
    fc.assert(
      fc.property(validPath, (p) => {
        expect(pagePathSchema.safeParse(p).success).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  test('an accepted path is what a browser requests and what the router looks up, unchanged', () => {
    fc.assert(
      fc.property(anyPath, (raw) => {
        if (!pagePathSchema.safeParse(raw).success) return;
        expect(normalizePath(raw)).toBe(raw);
        expect(new URL(raw, 'https://site.example').pathname).toBe(raw);
        expect(raw).not.toMatch(/\/\/|\/\.\.?(\/|$)|[A-Z\\]/);
      }),
      { numRuns: 2000 },
    );
  });
});
