import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { execute } from '../../src/operations/execute.ts';
import { readTheme } from '../../src/operations/themes/read-theme.ts';
import { updateTheme } from '../../src/operations/themes/update-theme.ts';
import { queryTheme } from '../../src/site/site-queries.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import { auditOf, failure, mosaicError, roleActors, siteVersionOf, type UserActor } from '../support/operations.ts';
import { testContext } from '../support/publish.ts';

describe('theme operations', () => {
  const dbs = openTestDatabases(2);
  let tenant: { id: string; slug: string };
  let users: Record<string, UserActor>;
  const as = (actor: UserActor) => testContext(dbs.app, { actor });
  const call = <I>(input: I) => ({ tenant: { id: tenant.id }, input });

  beforeAll(async () => {
    tenant = await createTestTenant(dbs.admin);
    users = await roleActors(dbs.admin, tenant.id);
  });
  afterAll(() => dbs.close());

  test('reads the theme with its revision, resolved tokens and contrast checks', async () => {
    const theme = await execute(as(users.viewer!), readTheme, call({}));
    expect(theme).toMatchObject({ preset: 'ocean', overrides: {}, revision: 1, logoUrl: null });
    expect(theme.tokens?.colors.background).toMatch(/^#[0-9a-f]{6}$/i);
    expect(theme.contrast.length).toBeGreaterThan(0);
    expect(theme.contrast.every((c) => c.passesAA)).toBe(true);
    expect(theme.presets).toContain('ocean');
  });

  test('an editor saves a theme: the site changes, the trail keeps what changed', async () => {
    const before = await siteVersionOf(dbs.admin, tenant.id);
    const saved = await execute(as(users.editor!), updateTheme, call({ expectedRevision: 1, preset: 'ocean', overrides: { radius: '2px' }, logoUrl: '/brand/x/logo.svg' }));
    expect(saved).toMatchObject({ revision: 2, overrides: { radius: '2px' }, logoUrl: '/brand/x/logo.svg' });
    expect(await siteVersionOf(dbs.admin, tenant.id)).toBe(before + 1);
    expect(await queryTheme(dbs.app, tenant.id)).toMatchObject({ overrides: { radius: '2px' }, logoUrl: '/brand/x/logo.svg' });
    expect((await auditOf(dbs.admin, tenant.id)).filter((r) => r.action === 'theme.update').at(-1)).toMatchObject({
      subject: 'theme',
      before: { '/logoUrl': null },
      after: { '/overrides/radius': '2px', '/logoUrl': '/brand/x/logo.svg' },
    });
  });

  test('a stale revision is refused with the current theme; nothing changes', async () => {
    const error = await mosaicError(execute(as(users.editor!), updateTheme, call({ expectedRevision: 1, preset: 'ocean' })));
    expect(error.code).toBe('PreconditionFailed');
    expect(error.extensions).toMatchObject({ current: { revision: 2, overrides: { radius: '2px' } } });
  });

  test('text below WCAG AA is refused naming each pair and its ratio', async () => {
    const before = await siteVersionOf(dbs.admin, tenant.id);
    const error = await mosaicError(
      execute(as(users.editor!), updateTheme, call({ expectedRevision: 2, preset: 'ocean', overrides: { colors: { text: '#777777', background: '#888888' } } })),
    );
    expect(error.code).toBe('ThemeContrast');
    expect(error.status).toBe(422);
    expect(error.details).toEqual(expect.arrayContaining([{ path: 'light.text/background', message: expect.stringMatching(/^contrast 1\.\d+:1 is below 4\.5:1$/) }]));
    expect(error.extensions.failures).toEqual(expect.arrayContaining([{ palette: 'light', pair: 'text/background', ratio: expect.any(Number), required: 4.5 }]));
    expect(await siteVersionOf(dbs.admin, tenant.id)).toBe(before);
    expect((await execute(as(users.viewer!), readTheme, call({}))).revision).toBe(2);
  });

  test('a bad preset, override or logo is refused by path; a viewer may not save', async () => {
    const error = await mosaicError(
      execute(as(users.editor!), updateTheme, call({ expectedRevision: 2, preset: 'neon', overrides: { colors: { text: 'red' }, css: 'x' }, logoUrl: 'javascript:x' })),
    );
    expect(error.code).toBe('InvalidInput');
    expect(error.details.map((d) => d.path)).toEqual(['logoUrl']);
    const preset = await mosaicError(execute(as(users.editor!), updateTheme, call({ expectedRevision: 2, preset: 'neon', overrides: { colors: { text: 'red' }, css: 'x' } })));
    expect(preset.details.map((d) => d.path).sort()).toEqual(['overrides', 'overrides.colors.text', 'preset']);
    expect(await failure(execute(as(users.viewer!), updateTheme, call({ expectedRevision: 2, preset: 'ocean' })))).toBe('Forbidden');
  });
});
