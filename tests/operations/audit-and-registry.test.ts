import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { catalog } from '../../registry/catalog.ts';
import { execute } from '../../src/operations/execute.ts';
import { listAudit } from '../../src/operations/audit/list-audit.ts';
import { createPage, saveDraft } from '../../src/operations/pages/index.ts';
import { catalogFor, readRegistry } from '../../src/operations/registry/read-registry.ts';
import { TENANTS_DIR } from '../../src/tenants/seed-demo.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import { failure, roleActors, type UserActor } from '../support/operations.ts';
import { testContext } from '../support/publish.ts';

describe('the audit trail, filtered', () => {
  const dbs = openTestDatabases(2);
  let tenant: { id: string; slug: string };
  let users: Record<string, UserActor>;
  const as = (actor: UserActor) => testContext(dbs.app, { actor });
  const call = <I>(input: I) => ({ tenant: { id: tenant.id }, input });

  beforeAll(async () => {
    tenant = await createTestTenant(dbs.admin);
    users = await roleActors(dbs.admin, tenant.id);
    const page = await execute(as(users.editor!), createPage, call({ path: '/audited', title: 'A' }));
    await execute(as(users.admin!), saveDraft, call({ pageId: page.id, expectedRevision: 1, draft: { title: 'B' } }));
  });
  afterAll(() => dbs.close());

  test('by actor, kind, action (or a whole domain), subject and time, newest first, a page at a time', async () => {
    const everything = await execute(as(users.editor!), listAudit, call({}));
    expect(everything.items.map((r) => r.action)).toEqual(['page.save-draft', 'page.create', 'platform.tenant.create']);
    expect(everything.items[0]).toMatchObject({ subject: '/audited', actor: { label: users.admin!.email, kind: 'user', id: users.admin!.userId }, after: { '/title': 'B' } });
    expect((await execute(as(users.editor!), listAudit, call({ actorId: users.editor!.userId }))).items.map((r) => r.action)).toEqual(['page.create']);
    expect((await execute(as(users.editor!), listAudit, call({ actorKind: 'system' }))).items.map((r) => r.action)).toEqual(['platform.tenant.create']);
    expect((await execute(as(users.editor!), listAudit, call({ action: 'page.*' }))).items).toHaveLength(2);
    expect((await execute(as(users.editor!), listAudit, call({ action: 'page.create' }))).items).toHaveLength(1);
    expect((await execute(as(users.editor!), listAudit, call({ subject: tenant.slug }))).items.map((r) => r.action)).toEqual(['platform.tenant.create']);
    expect((await execute(as(users.editor!), listAudit, call({ from: new Date(Date.now() + 60_000).toISOString() }))).items).toEqual([]);
    const first = await execute(as(users.editor!), listAudit, call({ limit: 2 }));
    const second = await execute(as(users.editor!), listAudit, call({ limit: 2, cursor: first.nextCursor! }));
    expect([...first.items, ...second.items].map((r) => r.id)).toEqual(everything.items.map((r) => r.id));
    expect(second.nextCursor).toBeNull();
  });

  test('a viewer may not read it; a malformed filter is refused', async () => {
    expect(await failure(execute(as(users.viewer!), listAudit, call({})))).toBe('Forbidden');
    expect(await failure(execute(as(users.editor!), listAudit, call({ action: "x'; DROP TABLE audit_log" })))).toBe('InvalidInput');
  });
});

describe('the registry catalog for a tenant', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);

  test('every section type has a label, a description, default props that validate, and a JSON Schema that compiles', () => {
    for (const section of catalogFor(catalog, 'codersinflow')) {
      expect(section.label.length, section.type).toBeGreaterThan(0);
      expect(section.description.length, section.type).toBeGreaterThan(10);
      const validate = ajv.compile(section.propsSchema);
      expect(validate(section.defaultProps), `${section.type}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      expect(catalog.get(section.type)!.schema.safeParse(section.defaultProps).success, section.type).toBe(true);
    }
  });

  test('the JSON Schemas accept every section of every demo page, and refuse bad props', async () => {
    const validators = new Map(catalogFor(catalog, 'any').map((s) => [s.type, ajv.compile(s.propsSchema)]));
    let checked = 0;
    for (const folder of await readdir(TENANTS_DIR)) {
      const pagesDir = path.join(TENANTS_DIR, folder, 'pages');
      for (const file of await readdir(pagesDir).catch(() => [] as string[])) {
        const page = JSON.parse(await readFile(path.join(pagesDir, file), 'utf8')) as { sections: { type: string; props?: unknown }[] };
        for (const section of page.sections) {
          const validate = validators.get(section.type)!;
          expect(validate(section.props ?? {}), `${folder}/${file} ${section.type}: ${ajv.errorsText(validate.errors)}`).toBe(true);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(validators.get('hero')!({})).toBe(false);
    expect(validators.get('cta')!({ title: 'x', action: { label: 'Go', href: 'javascript:alert(1)' } })).toBe(false);
  });

  test('a tenant sees the shared variants and its own, never another tenant’s', () => {
    const hero = (slug: string) => catalogFor(catalog, slug).find((s) => s.type === 'hero')!.variants;
    expect(hero('darkflows')).toEqual([
      { name: 'split', description: expect.any(String), interactive: false, own: false },
      { name: 'darkflows-terminal', description: expect.any(String), interactive: false, own: true },
    ]);
    expect(hero('codersinflow').map((v) => v.name)).toEqual(['split']);
  });

  test('through the operation, for any member', async () => {
    const dbs = openTestDatabases(1);
    try {
      const tenant = await createTestTenant(dbs.admin);
      const { viewer, outsider } = await roleActors(dbs.admin, tenant.id);
      const result = await execute(testContext(dbs.app, { actor: viewer }), readRegistry, { tenant: { id: tenant.id }, input: {} });
      expect(result.sections.map((s) => s.type)).toEqual(catalog.types());
      expect(await failure(execute(testContext(dbs.app, { actor: outsider }), readRegistry, { tenant: { id: tenant.id }, input: {} }))).toBe('NotFound');
    } finally {
      await dbs.close();
    }
  });
});
