import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { AppServices } from '../../src/app/app-services.ts';
import { createAppContext } from '../../src/app/create-app-context.ts';
import type { PageComposition } from '../../src/compositions/composition-schema.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createLogger } from '../../src/log/logger.ts';
import { execute } from '../../src/operations/execute.ts';
import { publishComposition } from '../../src/operations/pages/publish-composition.ts';
import { updateTheme } from '../../src/operations/themes/update-theme.ts';
import { siteOrigin, type FrontDecision } from '../../src/request/resolve-site.ts';
import type { AstroHandler } from '../../src/server/site-front.ts';
import { findTenantId } from '../../src/tenants/provision-tenant.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';

// The built server bundle (`npm test` builds first), rendering in this process.
const ENTRY = fileURLToPath(new URL('../../dist/server/entry.mjs', import.meta.url));

interface Rendered {
  status: number;
  body: string;
  csp: string;
}

describe('pages assembled from rendered sections (built Astro, real Postgres)', () => {
  const dbs = openTestDatabases(2);
  let app: AppServices;
  let handler: AstroHandler;

  beforeAll(async () => {
    const config = loadConfig({ DATABASE_URL: inject('appDatabaseUrl'), LOG_LEVEL: 'silent', OUTBOX_POLL_MS: '0', JOB_POLL_MS: '0', PRERENDER_CONCURRENCY: '0', PAGE_CACHE: 'off', FRAGMENT_CACHE_MB: '16' });
    app = await createAppContext(config, createLogger('silent', 'fragments'), { serving: true });
    ({ handler } = (await import(ENTRY)) as { handler: AstroHandler });
  });
  afterAll(async () => {
    await app.close();
    await dbs.close();
  });

  /** Renders a page as Astro does for a visitor whose request is not cached; `fragments: false` renders every section. */
  async function render(tenantId: string, path: string, options: { fragments?: boolean; preview?: PageComposition } = {}): Promise<Rendered> {
    const tenant = (await app.repo.tenant(tenantId))!;
    const site = { kind: 'site' as const, tenant, origin: siteOrigin(tenant, app.config), host: `${tenant.slug}.localhost` };
    const front: FrontDecision = { site, secure: false, cacheable: false, preview: options.preview && { composition: options.preview, adminOrigin: 'http://admin.localhost' } };
    const req = new IncomingMessage(new Socket());
    req.method = 'GET';
    req.url = path;
    req.headers = { host: site.host };
    req.push(null);
    const res = new ServerResponse(req);
    const chunks: Buffer[] = [];
    const ended = new Promise<void>((resolve) => {
      res.write = ((chunk: string | Uint8Array) => chunks.push(Buffer.from(chunk)) > 0) as typeof res.write;
      res.end = ((chunk?: string | Uint8Array) => {
        if (chunk && typeof chunk !== 'function') chunks.push(Buffer.from(chunk));
        resolve();
        return res;
      }) as typeof res.end;
    });
    const services = options.fragments === false ? { ...app, fragments: null } : app;
    await handler(req, res, (error) => { if (error) throw error; }, { mosaic: services, front });
    await ended;
    return { status: res.statusCode, body: Buffer.concat(chunks).toString('utf8'), csp: String(res.getHeader('content-security-policy')) };
  }

  const counts = async () => {
    const values = (await app.metrics.sectionFragments.get()).values;
    const of = (result: string) => values.find((v) => v.labels.result === result)?.value ?? 0;
    return { hit: of('hit'), miss: of('miss'), refused: of('refused') };
  };
  const delta = async <T>(work: () => Promise<T>) => {
    const before = await counts();
    const result = await work();
    const after = await counts();
    return { result, hit: after.hit - before.hit, miss: after.miss - before.miss, refused: after.refused - before.refused };
  };
  const system = () => app.auth.context({ kind: 'system', name: 'test' }, null);
  const publish = (tenantId: string, composition: unknown) => execute(system(), publishComposition, { tenant: { id: tenantId }, input: { composition } });

  test('every demo page assembled from kept sections is byte-identical to a full render, CSP included', async () => {
    let pages = 0;
    for (const slug of ['clientsite', 'codersinflow', 'darkflows', 'oldshop']) {
      const tenantId = await findTenantId(app.db, slug);
      if (!tenantId) continue;
      const tenant = (await app.repo.tenant(tenantId))!;
      const paths = (await app.repo.publishedPaths(tenant)).map((p) => p.path);
      for (const path of [...paths, '/no-such-page']) {
        const full = await render(tenantId, path, { fragments: false });
        const first = await render(tenantId, path);
        const { result: again, miss, hit } = await delta(() => render(tenantId, path));
        expect(first).toEqual(full);
        expect(again).toEqual(full);
        expect(miss).toBe(0);
        // A not-found page keeps nothing: random paths must not crowd out real pages' sections.
        if (path === '/no-such-page') expect(hit).toBe(0);
        else expect(hit, `${slug}${path}`).toBeGreaterThan(0);
        pages++;
      }
    }
    expect(pages).toBeGreaterThanOrEqual(8);
    expect((await counts()).refused).toBe(0);
  });

  const sections = (headline: string) => [
    { type: 'header', props: { links: [{ label: 'Home', href: '/' }] } },
    { type: 'hero', props: { title: headline } },
    { type: 'cta', props: { title: 'Call us', action: { label: 'Call', href: '/contact' } } },
    { type: 'blog', props: { title: 'News' } },
    { type: 'contact', props: { title: 'Write to us' } },
    { type: 'testimonials', variant: 'carousel', props: { title: 'Said', items: [{ quote: 'Lovely', author: 'Ann' }] } },
    { type: 'footer', props: {} },
  ];
  const page = (headline: string) => ({ path: '/', title: 'Home', sections: sections(headline) });

  test('two tenants with the same sections but different themes never share one', async () => {
    const one = await createTestTenant(dbs.admin, { theme: { preset: 'ocean', overrides: {} } });
    const two = await createTestTenant(dbs.admin, { theme: { preset: 'forest', overrides: {} } });
    await publish(one.id, page('Same words'));
    await publish(two.id, page('Same words'));
    const first = await delta(() => render(one.id, '/'));
    const second = await delta(() => render(two.id, '/'));
    // header, hero, cta: kept for each tenant apart.
    expect([first.miss, second.miss, second.hit]).toEqual([3, 3, 0]);
    expect(second.result).toEqual(await render(two.id, '/', { fragments: false }));
    expect(second.result.body).toContain(`Tenant ${two.slug}`);
    expect(second.result.body).not.toContain(`Tenant ${one.slug}`);
  });

  test('after publishing one changed section, the others are reused and the page shows the new one', async () => {
    const { id } = await createTestTenant(dbs.admin);
    await publish(id, page('First headline'));
    await render(id, '/');
    await publish(id, page('Second headline'));
    const { result, hit, miss } = await delta(() => render(id, '/'));
    expect([hit, miss]).toEqual([2, 1]);
    expect(result.body).toContain('Second headline');
    expect(result.body).not.toContain('First headline');
    expect(result).toEqual(await render(id, '/', { fragments: false }));
  });

  test('a theme change renders every section again: no HTML from the old theme', async () => {
    const { id } = await createTestTenant(dbs.admin, { theme: { preset: 'ocean', overrides: {} } });
    await publish(id, page('Themed'));
    await render(id, '/');
    const { revision } = await dbs.admin.selectFrom('themes').select('revision').where('tenant_id', '=', id).executeTakeFirstOrThrow();
    await execute(system(), updateTheme, { tenant: { id }, input: { expectedRevision: revision, preset: 'midnight' } });
    const { result, hit, miss } = await delta(() => render(id, '/'));
    // The sections' HTML names no colour (the theme is the page's <style>), yet none is reused.
    expect([hit, miss]).toEqual([0, 3]);
    expect(result).toEqual(await render(id, '/', { fragments: false }));
  });

  test('the posts list, the contact form’s answer and islands are rendered every time', async () => {
    const { id } = await createTestTenant(dbs.admin);
    await publish(id, page('Busy page'));
    await render(id, '/');
    const { result } = await delta(() => render(id, '/'));
    expect(result.body).toContain('<astro-island');
    // A form's answer arrives as a flag in the URL: the page is then rendered without fragments.
    const answered = await delta(() => render(id, '/?contact=sent'));
    expect([answered.hit, answered.miss]).toEqual([0, 0]);
    expect(answered.result.body).toContain('your message has been sent');
    expect((await render(id, '/')).body).not.toContain('your message has been sent');
    // The island's hydration script is in every render, kept sections or not.
    expect(result.body.match(/<script/g)?.length).toBe((await render(id, '/', { fragments: false })).body.match(/<script/g)?.length);
  });

  test('a preview neither uses nor keeps fragments', async () => {
    const { id } = await createTestTenant(dbs.admin);
    await publish(id, page('Published words'));
    await render(id, '/');
    const draft = { path: '/', title: 'Home', meta: {}, sections: sections('Draft words').map((s) => ({ ...s, hidden: false })) } as unknown as PageComposition;
    const previewed = await delta(() => render(id, '/', { preview: draft }));
    expect([previewed.hit, previewed.miss]).toEqual([0, 0]);
    expect(previewed.result.body).toContain('Draft words');
    expect(previewed.result.body).toContain('data-mosaic-section');
    const after = await delta(() => render(id, '/'));
    expect([after.hit, after.miss]).toEqual([3, 0]);
    expect(after.result.body).not.toContain('Draft words');
  });
});
