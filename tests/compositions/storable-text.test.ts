import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { catalog } from '../../registry/catalog.ts';
import { validateComposition } from '../../src/compositions/validate-composition.ts';
import { withTenant } from '../../src/db/tenant-scope.ts';
import { isMosaicError } from '../../src/errors/catalog.ts';
import { publishAs } from '../support/publish.ts';
import { findUnstorableText, isStorableText, UNSTORABLE_TEXT } from '../../src/validation/storable-text.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';

const NUL = '\u0000';
const LONE_HIGH = '\ud800';
const LONE_LOW = '\udc00';

describe('text PostgreSQL cannot store', () => {
  test.each([
    ['a NUL', `a${NUL}b`, false],
    ['a lone high surrogate', `a${LONE_HIGH}`, false],
    ['a lone low surrogate', `${LONE_LOW}a`, false],
    ['a reversed pair', `${LONE_LOW}${LONE_HIGH}`, false],
    ['an emoji (a proper pair)', 'ok 😀', true],
    ['other control characters', 'tab\tand\u0001', true],
    ['plain text', 'Hello', true],
  ])('%s', (_, text, storable) => {
    expect(isStorableText(text)).toBe(storable);
  });

  test('the scan names every bad string and key by its path', () => {
    const value = {
      title: 'fine',
      sections: [{ props: { title: 'ok' } }, { props: { items: ['x', `y${NUL}`] } }, { props: { title: LONE_HIGH } }],
      meta: { [`bad${NUL}key`]: 'v' },
    };
    expect(findUnstorableText(value)).toEqual(['sections[1].props.items[1]', 'sections[2].props.title', 'meta (a field name)']);
    expect(findUnstorableText(`x${NUL}`)).toEqual(['(root)']);
    expect(findUnstorableText({ a: [1, true, null, 'ok'] })).toEqual([]);
  });

  test('validateComposition refuses it as a field error, with the field path, beside other problems', () => {
    const result = validateComposition(
      {
        path: '/about',
        title: `About${NUL}`,
        sections: [
          { type: 'hero', props: { title: 'Hi' } },
          { type: 'cta', props: { title: 'Go', action: { label: 'x', href: 'javascript:alert(1)' } } },
          { type: 'hero', props: { title: `Hi ${LONE_HIGH}there` } },
        ],
      },
      'acme',
      catalog,
    );
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues.map((i) => `${i.path}: ${i.message}`);
    expect(issues).toContain(`title: ${UNSTORABLE_TEXT}`);
    expect(issues).toContain(`sections[2].props.title: ${UNSTORABLE_TEXT}`);
    expect(issues.some((i) => i.startsWith('sections[1].props.action.href: '))).toBe(true);
  });
});

describe('publishing text PostgreSQL cannot store', () => {
  const dbs = openTestDatabases(2);
  let tenant: { id: string };
  beforeAll(async () => {
    tenant = await createTestTenant(dbs.admin);
  });
  afterAll(() => dbs.close());

  const versions = () => withTenant(dbs.app, tenant.id, (trx) => trx.selectFrom('page_versions').select('id').execute());

  test.each([
    ['NUL', NUL],
    ['a lone surrogate', LONE_HIGH],
  ])('a composition with %s is refused by the operations runner, naming the field, and nothing is written', async (_, bad) => {
    const composition = { path: '/x', title: 'X', sections: [{ type: 'rich-text', props: { html: `<p>a${bad}b</p>` } }] };
    const error = await publishAs(dbs.app, tenant.id, composition).catch((e: unknown) => e);
    expect(isMosaicError(error) && error.code).toBe('InvalidInput');
    expect(isMosaicError(error) ? error.details : []).toEqual([{ path: 'composition.sections[0].props.html', message: UNSTORABLE_TEXT }]);
    expect(await versions()).toEqual([]);
  });
});
