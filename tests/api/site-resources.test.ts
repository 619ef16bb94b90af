import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { catalog } from '../../registry/catalog.ts';
import { ApiClient, startApiServer } from '../support/api-client.ts';
import { createTestMember } from '../support/api-fixtures.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import type { RunningServer } from '../support/server-process.ts';

const PASSWORD = 'site resources passphrase';

describe('a site’s resources over HTTP', () => {
  const dbs = openTestDatabases();
  let server: RunningServer;
  let site: { id: string; slug: string };
  let owner: ApiClient;
  let ownerId: string;

  beforeAll(async () => {
    [server, site] = await Promise.all([startApiServer(), createTestTenant(dbs.admin)]);
    const user = await createTestMember(dbs.admin, site.id, 'owner', { password: PASSWORD });
    ownerId = user.userId;
    owner = new ApiClient(server.port);
    expect((await owner.signIn(user.email, PASSWORD)).status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await dbs.close();
  });

  test('the site: listed with my role, read with its domains, renamed', async () => {
    const list = await owner.call('GET', '/tenants');
    expect(list.json).toEqual({ items: [expect.objectContaining({ slug: site.slug, role: 'owner' })], nextCursor: null });
    const read = await owner.call('GET', `/tenants/${site.slug}`);
    expect(read.json).toMatchObject({ id: site.id, slug: site.slug, domains: [{ hostname: `${site.slug}.test`, primary: true, verified: true }] });
    const renamed = await owner.call('PATCH', `/tenants/${site.slug}`, { body: { name: 'Renamed Bakery' } });
    expect(renamed.status).toBe(200);
    expect(renamed.json.siteVersion).toBeGreaterThan(read.json.siteVersion);
    expect((await owner.call('GET', `/tenants/${site.slug}`)).json.name).toBe('Renamed Bakery');
  });

  test('invalid settings are refused with their path, and the site is unchanged', async () => {
    const before = (await owner.call('GET', `/tenants/${site.slug}`)).json;
    const response = await owner.call('PATCH', `/tenants/${site.slug}`, { body: { name: '', settings: 'not an object' } });
    expect(response.status).toBe(422);
    expect(response.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(['name', 'settings']);
    expect((await owner.call('GET', `/tenants/${site.slug}`)).json).toEqual(before);
  });

  test('members: invited (the link comes back without SMTP), role changed, and the last owner kept', async () => {
    const invited = await owner.call('POST', `/tenants/${site.slug}/invitations`, { body: { email: 'new.person@example.test', role: 'editor' } });
    expect(invited.status).toBe(201);
    expect(invited.json.link).toContain('/accept-invitation');
    const open = await owner.call('GET', `/tenants/${site.slug}/invitations`);
    expect(open.json.items.map((i: { email: string }) => i.email)).toContain('new.person@example.test');
    expect((await owner.call('DELETE', `/tenants/${site.slug}/invitations/${invited.json.invitation.id}`)).status).toBe(204);
    expect((await owner.call('GET', `/tenants/${site.slug}/invitations`)).json.items).toEqual([]);

    const member = await createTestMember(dbs.admin, site.id, 'viewer');
    const changed = await owner.call('PATCH', `/tenants/${site.slug}/members/${member.userId}`, { body: { role: 'admin' } });
    expect(changed.json).toMatchObject({ role: 'admin', changed: true });
    const lastOwner = await owner.call('PATCH', `/tenants/${site.slug}/members/${ownerId}`, { body: { role: 'viewer' } });
    expect(lastOwner.status).toBe(409);
    expect(lastOwner.json.code).toBe('LastOwner');
    const members = await owner.call('GET', `/tenants/${site.slug}/members`);
    expect(members.json.items.find((m: { userId: string }) => m.userId === ownerId).role).toBe('owner');
  });

  test('the audit trail filters by action, actor and subject, page by page', async () => {
    for (const tagline of ['one', 'two', 'three']) await owner.call('PATCH', `/tenants/${site.slug}`, { body: { settings: { tagline } } });
    const first = await owner.call('GET', `/tenants/${site.slug}/audit?action=tenant.update&actorId=${ownerId}&limit=2`);
    expect(first.status).toBe(200);
    expect(first.json.items).toHaveLength(2);
    expect(first.json.items.every((r: { action: string; actor: { id: string } }) => r.action === 'tenant.update' && r.actor.id === ownerId)).toBe(true);
    const second = await owner.call('GET', `/tenants/${site.slug}/audit?action=tenant.update&actorId=${ownerId}&limit=2&cursor=${first.json.nextCursor}`);
    const ids = [...first.json.items, ...second.json.items].map((r: { id: string }) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(4);
    const byKind = await owner.call('GET', `/tenants/${site.slug}/audit?action=member.*`);
    expect(byKind.json.items.length).toBeGreaterThan(0);
    expect(byKind.json.items.every((r: { action: string }) => r.action.startsWith('member.'))).toBe(true);
    const bad = await owner.call('GET', `/tenants/${site.slug}/audit?limit=1000&cursor=forged&from=yesterday`);
    expect(bad.status).toBe(422);
    expect(bad.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(['from', 'limit']);
  });

  test('the registry lists every section type with a JSON Schema of its props, and only the variants this site may use', async () => {
    const response = await owner.call('GET', `/tenants/${site.slug}/registry`);
    expect(response.status).toBe(200);
    const sections = response.json.sections as { type: string; label: string; propsSchema: { type?: string }; variants: { name: string; own: boolean }[] }[];
    expect(sections.map((s) => s.type).sort()).toEqual([...catalog.types()].sort());
    for (const section of sections) {
      expect(section.label).toEqual(expect.any(String));
      expect(section.propsSchema.type).toBe('object');
      const shared = Object.entries(catalog.get(section.type)!.variants).filter(([, v]) => v.tenant === undefined).map(([name]) => name);
      expect(section.variants.map((v) => v.name).sort()).toEqual(shared.sort());
    }
    expect(JSON.stringify(sections)).not.toContain('darkflows-terminal');
  });

  test('blueprints: listed by name, one read with its plan, theme and pages (twice, the same), an unknown name 404', async () => {
    const list = await owner.call('GET', '/blueprints');
    expect(list.json.items).toContainEqual({ name: 'local-business', kind: 'blueprint' });
    const read = await owner.call('GET', '/blueprints/local-business');
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ name: 'local-business', kind: 'blueprint', plan: 'starter', theme: { preset: expect.any(String) }, pages: expect.arrayContaining(['/', '/contact']) });
    // blueprints/local-business/posts.json holds one post: a count, not the list.
    expect(read.json.posts).toBe(1);
    expect((await owner.call('GET', '/blueprints/local-business')).json).toEqual(read.json);
    const unknown = await owner.call('GET', '/blueprints/no-such-blueprint');
    expect(unknown.status).toBe(404);
    expect(unknown.json.errors).toEqual([{ path: 'blueprint', message: 'no such blueprint' }]);
  });
});
