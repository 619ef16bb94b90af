import { randomBytes } from 'node:crypto';
import { getContainerRenderer } from '@astrojs/react';
import { experimental_AstroContainer as AstroContainer } from 'astro/container';
import { loadRenderers } from 'astro:container';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { catalog } from '../../registry/catalog.ts';
import { components } from '../../registry/components.ts';
import type { SiteInfo } from '../../registry/types.ts';
import { withTenant } from '../../src/db/tenant-scope.ts';
import { submitContact } from '../../src/forms/contact-submission.ts';
import { findTenantId } from '../../src/tenants/provision-tenant.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import { request, startServer, type RunningServer } from '../support/server-process.ts';

const NUL = '\u0000';
const valid = { name: 'Ada', email: 'ada@example.com', message: 'Hello', page: '/contact' };

describe('contact submissions with text PostgreSQL cannot store', () => {
  const dbs = openTestDatabases(2);
  let tenant: { id: string };
  beforeAll(async () => {
    tenant = await createTestTenant(dbs.admin);
  });
  afterAll(() => dbs.close());

  const stored = () => dbs.admin.selectFrom('form_submissions').select('id').where('tenant_id', '=', tenant.id).execute();

  test.each([
    ['name', { name: `Ada${NUL}` }],
    ['email', { email: `ada${NUL}@example.com` }],
    ['message', { message: `Hi${NUL}there` }],
    ['message', { message: 'Hi \ud800' }],
  ] as const)('a bad %s is reported by field name and nothing is stored', async (field, change) => {
    const outcome = await submitContact(dbs.app, tenant.id, { ...valid, ...change });
    expect(outcome).toEqual({ status: 'invalid', page: '/contact', field });
    expect(await stored()).toEqual([]);
  });

  test('with several bad fields the first one in form order is named; a good form is stored', async () => {
    expect(await submitContact(dbs.app, tenant.id, { ...valid, email: 'nope', message: NUL })).toMatchObject({ field: 'email' });
    expect(await submitContact(dbs.app, tenant.id, valid)).toEqual({ status: 'sent', page: '/contact' });
    expect(await stored()).toHaveLength(1);
  });
});

describe('the Contact section shows which field to fix', () => {
  let container: AstroContainer;
  beforeAll(async () => {
    container = await AstroContainer.create({ renderers: await loadRenderers([getContainerRenderer()]) });
  });
  const render = (flags: Record<string, string>) => {
    const site: SiteInfo = { slug: 'acme', name: 'Acme', origin: 'https://acme.example', path: '/contact', logoUrl: null, flags };
    const props = catalog.get('contact')!.schema.parse({ title: 'Write to us' });
    return container.renderToString(components.contact!.default as never, { props: { props, data: undefined, site } });
  };

  test.each(['name', 'email', 'message'])('?contact=invalid-%s marks that field and links the alert to it', async (field) => {
    const html = await render({ contact: `invalid-${field}` });
    expect(html).toMatch(/role="alert" id="contact-error"/);
    expect(html).toContain(`href="#contact-${field}"`);
    const marked = [...html.matchAll(/id="contact-(\w+)"[^>]*aria-invalid="true"[^>]*aria-describedby="contact-error"/g)].map((m) => m[1]);
    expect(marked).toEqual([field]);
  });

  test('an unknown field name marks nothing but still alerts; a plain answer shows no alert', async () => {
    const unknown = await render({ contact: 'invalid-website' });
    expect(unknown).not.toContain('aria-invalid');
    expect(unknown).toMatch(/role="alert"[^>]*>Please fill in your name, a valid email address and a message\./);
    const sent = await render({ contact: 'sent' });
    expect(sent).not.toContain('role="alert"');
    expect(sent).toContain('role="status"');
  });
});

describe('a contact post with a NUL, end to end', () => {
  let server: RunningServer;
  const dbs = openTestDatabases(1);
  beforeAll(async () => {
    server = await startServer({ DATABASE_URL: inject('appDatabaseUrl'), REDIS_URL: '', PAGE_CACHE: 'off' });
  });
  afterAll(async () => {
    await server?.stop();
    await dbs.close();
  });

  test('is answered with a redirect naming the field (never a 500), stores nothing, and the page shows it', async () => {
    const clientId = (await findTenantId(dbs.admin, 'clientsite')) as string;
    const count = async () => Number((await withTenant(dbs.admin, clientId, (trx) => trx.selectFrom('form_submissions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow())).n);
    const before = await count();
    const marker = randomBytes(4).toString('hex');
    const body = new URLSearchParams({ ...valid, message: `x${NUL}${marker}` }).toString();
    const res = await request(server.port, '/_mosaic/forms/contact', {
      host: 'clientsite.localhost',
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) },
      body,
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/contact?contact=invalid-message#contact');
    expect(await count()).toBe(before);
    const page = await request(server.port, '/contact?contact=invalid-message', { host: 'clientsite.localhost' });
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/id="contact-message"[^>]*aria-invalid="true"/);
  });
});
