import { describe, expect, test } from 'vitest';
import { diffCompositions } from '../../src/operations/pages/page-diff.ts';

const hero = (title: string, variant?: string) => ({ type: 'hero', ...(variant ? { variant } : {}), props: { title } });
const cta = (title: string) => ({ type: 'cta', props: { title, action: { label: 'Go', href: '/go' } } });
const rich = (html: string) => ({ type: 'rich-text', props: { html } });
const page = (sections: object[], extra: object = {}) => ({ path: '/p', title: 'Page', meta: {}, sections, ...extra }) as Parameters<typeof diffCompositions>[0];

describe('the diff between two compositions', () => {
  test('identical compositions are unchanged', () => {
    const a = page([hero('A'), cta('B')]);
    expect(diffCompositions(a, structuredClone(a))).toEqual({ unchanged: true, fields: [], sections: [], summary: [] });
  });

  test('page fields: title, path and meta by path', () => {
    const diff = diffCompositions(page([], { meta: { description: 'Old' } }), page([], { title: 'New', path: '/q', meta: { description: 'New', noindex: true } }));
    expect(diff.fields).toEqual(
      expect.arrayContaining([
        { path: 'path', change: 'changed', before: '/p', after: '/q' },
        { path: 'title', change: 'changed', before: 'Page', after: 'New' },
        { path: 'meta.description', change: 'changed', before: 'Old', after: 'New' },
        { path: 'meta.noindex', change: 'added', after: true },
      ]),
    );
    expect(diff.fields).toHaveLength(4);
    expect(diff.sections).toEqual([]);
    expect(diff.summary).toContain('title changed from "Page" to "New"');
  });

  test('a section inserted at the top is added; the others only shifted, not moved', () => {
    const diff = diffCompositions(page([hero('A'), cta('B')]), page([rich('<p>x</p>'), hero('A'), cta('B')]));
    expect(diff.sections).toEqual([{ change: 'added', type: 'rich-text', to: 0 }]);
    expect(diff.summary).toEqual(['section 1 (rich-text) added']);
  });

  test('hiding a section and showing it again are named as such', () => {
    const hidden = { ...cta('B'), hidden: true };
    const hide = diffCompositions(page([hero('A'), cta('B')]), page([hero('A'), hidden]));
    expect(hide.sections).toEqual([{ change: 'modified', type: 'cta', from: 1, to: 1, moved: false, visibility: 'hidden', props: [] }]);
    expect(hide.summary).toEqual(['section 2 (cta): hidden']);
    const show = diffCompositions(page([hero('A'), hidden]), page([hero('A'), cta('B')]));
    expect(show.summary).toEqual(['section 2 (cta): shown']);
    // `hidden: false` is the same as no flag at all.
    expect(diffCompositions(page([cta('B')]), page([{ ...cta('B'), hidden: false }])).unchanged).toBe(true);
  });

  test('a removed section', () => {
    const diff = diffCompositions(page([hero('A'), cta('B'), rich('<p>c</p>')]), page([hero('A'), rich('<p>c</p>')]));
    expect(diff.sections).toEqual([{ change: 'removed', type: 'cta', from: 1 }]);
  });

  test('swapping two sections moves one of them', () => {
    const diff = diffCompositions(page([hero('A'), cta('B'), rich('<p>c</p>')]), page([rich('<p>c</p>'), hero('A'), cta('B')]));
    expect(diff.sections).toEqual([{ change: 'modified', type: 'rich-text', from: 2, to: 0, moved: true, props: [] }]);
    expect(diff.summary).toEqual(['section 1 (rich-text): moved from position 3 to 1']);
  });

  test('an edited section names each changed prop by path, including inside arrays', () => {
    const before = { type: 'features', props: { title: 'F', items: [{ title: 'One', text: 'a' }, { title: 'Two', text: 'b' }] } };
    const after = { type: 'features', props: { title: 'F', intro: 'New', items: [{ title: 'One', text: 'A' }] } };
    const diff = diffCompositions(page([before]), page([after]));
    expect(diff.sections).toEqual([
      {
        change: 'modified',
        type: 'features',
        from: 0,
        to: 0,
        moved: false,
        props: expect.arrayContaining([
          { path: 'intro', change: 'added', after: 'New' },
          { path: 'items[0].text', change: 'changed', before: 'a', after: 'A' },
          { path: 'items[1]', change: 'removed', before: { title: 'Two', text: 'b' } },
        ]),
      },
    ]);
    expect((diff.sections[0] as { props: unknown[] }).props).toHaveLength(3);
  });

  test('a changed variant is reported, and edits pair sections of the same type in order', () => {
    const diff = diffCompositions(page([hero('A'), hero('B')]), page([hero('A', 'split'), hero('B2')]));
    expect(diff.sections).toEqual([
      { change: 'modified', type: 'hero', from: 0, to: 0, moved: false, variant: { before: null, after: 'split' }, props: [] },
      { change: 'modified', type: 'hero', from: 1, to: 1, moved: false, props: [{ path: 'title', change: 'changed', before: 'B', after: 'B2' }] },
    ]);
  });

  test('a section replaced by one of another type is a removal and an addition', () => {
    const diff = diffCompositions(page([hero('A')]), page([cta('A')]));
    expect(diff.sections).toEqual([
      { change: 'removed', type: 'hero', from: 0 },
      { change: 'added', type: 'cta', to: 0 },
    ]);
  });

  test('from nothing (an unpublished page) everything is added', () => {
    const diff = diffCompositions({ path: '/p', title: '', meta: {}, sections: [] }, page([hero('A')]));
    expect(diff.sections).toEqual([{ change: 'added', type: 'hero', to: 0 }]);
    expect(diff.fields).toEqual([{ path: 'title', change: 'changed', before: '', after: 'Page' }]);
  });
});
