import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { withTenant } from '../../src/db/tenant-scope.ts';
import { isMosaicError } from '../../src/errors/catalog.ts';
import { execute } from '../../src/operations/execute.ts';
import { publishPage } from '../../src/operations/pages/publish-page.ts';
import { readPage } from '../../src/operations/pages/read-page.ts';
import { rollbackPage } from '../../src/operations/pages/rollback-page.ts';
import type { SiteChange } from '../../src/publishing/site-version.ts';
import { queryPublishedPage } from '../../src/site/site-queries.ts';
import { createTestTenant, lockHolder, openTestDatabases } from '../support/databases.ts';
import { publishAs, testContext } from '../support/publish.ts';

// Publishing a whole composition (page.publish-composition), as the seeder and the command line do.

const page = (title: string, extra: object[] = []) => ({
  path: '/pricing',
  title,
  meta: { description: 'Plans' },
  sections: [{ type: 'hero', props: { title } }, ...extra],
});

describe('publishing a composition', () => {
  const dbs = openTestDatabases(4);
  const changes: SiteChange[] = [];
  const notify = async (c: SiteChange) => void changes.push(c);
  const actor = { kind: 'user', userId: '00000000-0000-4000-8000-000000000001', email: 'editor@test', platformAdmin: true } as const;
  let tenant: { id: string; slug: string };

  beforeAll(async () => {
    tenant = await createTestTenant(dbs.admin);
  });
  afterAll(() => dbs.close());

  const rollback = async (version?: number) => {
    const context = testContext(dbs.app, { notify });
    const { id } = await execute(context, readPage, { tenant: { id: tenant.id }, input: { path: '/pricing' } });
    return execute(context, rollbackPage, { tenant: { id: tenant.id }, input: { pageId: id, version } });
  };

  const snapshot = () =>
    withTenant(dbs.app, tenant.id, async (trx) => ({
      versions: await trx.selectFrom('page_versions').select(['version', 'page_id']).orderBy('page_id').orderBy('version').execute(),
      pointer: await trx.selectFrom('pages').select(['path', 'published_version_id', 'draft_revision']).orderBy('path').execute(),
      siteVersion: (await trx.selectFrom('tenants').select('site_version').executeTakeFirstOrThrow()).site_version,
      audit: (await trx.selectFrom('audit_log').select('id').where('tenant_id', '=', tenant.id).execute()).length,
    }));

  test('publishes a new immutable version, moves the pointer, bumps the site version and audits', async () => {
    const before = await snapshot();
    const result = await publishAs(dbs.app, tenant.id, page('Pricing v1'), { actor, notify });
    expect(result).toMatchObject({ path: '/pricing', version: 1, siteVersion: Number(before.siteVersion) + 1, created: true });
    expect((await queryPublishedPage(dbs.app, tenant.id, '/pricing'))?.title).toBe('Pricing v1');
    const audit = await dbs.admin
      .selectFrom('audit_log')
      .select(['action', 'subject', 'actor', 'actor_kind'])
      .where('tenant_id', '=', tenant.id)
      .where('action', '=', 'page.publish-composition')
      .execute();
    expect(audit).toContainEqual({ action: 'page.publish-composition', subject: '/pricing', actor: 'editor@test', actor_kind: 'user' });
    expect(changes.at(-1)).toMatchObject({ tenantId: tenant.id, siteVersion: result.siteVersion });
  });

  test('rejects bad input naming every bad path, and changes nothing', async () => {
    await publishAs(dbs.app, tenant.id, page('Pricing v2'));
    const before = await snapshot();
    const notified = changes.length;
    const bad = {
      path: '/pricing',
      title: '',
      sections: [
        { type: 'hero', props: { title: 'ok' } },
        { type: 'cta', props: { title: 'Buy', action: { label: 'Go', href: 'javascript:alert(1)' } } },
        { type: 'features', props: {} },
        { type: 'carousel-3d', props: {} },
        { type: 'hero', variant: 'darkflows-terminal', props: { title: 'Not yours' } },
      ],
    };
    const error = await publishAs(dbs.app, tenant.id, bad, { notify }).catch((e: unknown) => e);
    expect(isMosaicError(error) && error.code).toBe('InvalidComposition');
    const paths = isMosaicError(error) ? error.details.map((d) => `${d.path}: ${d.message}`) : [];
    expect(paths).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^title: /),
        expect.stringMatching(/^sections\[1\]\.props\.action\.href: /),
        'sections[2].props.title: required',
        'sections[2].props.items: required',
        'sections[3].type: unknown section type "carousel-3d"',
        'sections[4].variant: variant "darkflows-terminal" belongs to another tenant',
      ]),
    );
    expect(await snapshot()).toEqual(before);
    expect(changes.length).toBe(notified);
    expect((await queryPublishedPage(dbs.app, tenant.id, '/pricing'))?.title).toBe('Pricing v2');
  });

  test('rich text is stored sanitized', async () => {
    const composition = {
      path: '/story',
      title: 'Story',
      sections: [{ type: 'rich-text', props: { html: '<p onclick="x()">Hi<script>alert(1)</script> <a href="javascript:x">y</a></p><style>p{}</style>' } }],
    };
    await publishAs(dbs.app, tenant.id, composition);
    const stored = await queryPublishedPage(dbs.app, tenant.id, '/story');
    expect(stored?.sections[0]?.props).toEqual({ html: '<p>Hi <a>y</a></p>', narrow: true });
  });

  test('rollback moves the pointer to an earlier version and keeps history', async () => {
    await publishAs(dbs.app, tenant.id, page('Pricing v3'));
    const before = await snapshot();
    const back = await rollback();
    expect(back.version).toBe(2);
    expect((await queryPublishedPage(dbs.app, tenant.id, '/pricing'))?.title).toBe('Pricing v2');
    const after = await snapshot();
    expect(after.versions).toEqual(before.versions);
    expect(Number(after.siteVersion)).toBe(Number(before.siteVersion) + 1);
    await rollback(1);
    expect((await queryPublishedPage(dbs.app, tenant.id, '/pricing'))?.title).toBe('Pricing v1');
    const next = await publishAs(dbs.app, tenant.id, page('Pricing v4'));
    expect(next.version).toBe(4);
  });

  test('rolling back to a version that does not exist changes nothing', async () => {
    const before = await snapshot();
    const error = await rollback(99).catch((e: unknown) => e);
    expect(isMosaicError(error) && error.code).toBe('UnknownPageVersion');
    expect(await snapshot()).toEqual(before);
  });

  test('concurrent publishes of one new page get one page and distinct, consecutive versions', async () => {
    const composition = (n: number) => ({ path: '/race', title: `Race ${n}`, sections: [] });
    const results = await Promise.all(Array.from({ length: 8 }, (_, n) => publishAs(dbs.app, tenant.id, composition(n))));
    expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(new Set(results.map((r) => r.pageId)).size).toBe(1);
  });

  test.each([
    ['a whole composition', (n: number) => publishAs(dbs.app, tenant.id, { path: '/order', title: `Order ${n}`, sections: [] })],
    [
      'an editor publishing the draft',
      async () => {
        const context = testContext(dbs.app, { notify });
        const { id } = await execute(context, readPage, { tenant: { id: tenant.id }, input: { path: '/order' } });
        return execute(context, publishPage, { tenant: { id: tenant.id }, input: { pageId: id } });
      },
    ],
  ])('publishing an existing page (%s) waits for the tenant row before it locks the page: one lock order, no deadlock', async (_, publish) => {
    await publishAs(dbs.app, tenant.id, { path: '/order', title: 'Order 1', sections: [] });
    let publishing: Promise<{ version: number }> | undefined;
    await dbs.admin.transaction().execute(async (trx) => {
      // Hold the tenant's row as a publish of a new page does while it counts pages.
      await trx.selectFrom('tenants').select('id').where('id', '=', tenant.id).forNoKeyUpdate().execute();
      const holder = await lockHolder(trx, dbs.admin);
      publishing = publish(2);
      await holder.blocking(1);
      // The waiting publish holds no page lock yet: the page's row is free to take at once (a
      // publish holding it would be found a deadlock's victim only after deadlock_timeout, 1 s,
      // and then run again: the lock would come, but late).
      await sql`set local lock_timeout = '500ms'`.execute(trx);
      await trx.selectFrom('pages').select('id').where('tenant_id', '=', tenant.id).where('path', '=', '/order').where('deleted_at', 'is', null).forUpdate().execute();
    });
    await expect(publishing).resolves.toMatchObject({ version: expect.any(Number) });
  });

  test('a tenant cannot publish into another tenant, whatever the body says', async () => {
    const other = await createTestTenant(dbs.admin);
    const sneaky = { ...page('Sneaky'), tenantId: other.id, tenant_id: other.id };
    await expect(publishAs(dbs.app, tenant.id, sneaky)).rejects.toThrow(/tenantId|tenant_id|unknown|Unrecognized/i);
    expect(await queryPublishedPage(dbs.app, other.id, '/pricing')).toBeNull();
  });
});
