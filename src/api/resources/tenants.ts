import { OpenAPIHono, z } from '@hono/zod-openapi';
import { MosaicError } from '../../errors/catalog.ts';
import { isPlatformActor } from '../../operations/actor.ts';
import { createTenant } from '../../operations/tenants/create-tenant.ts';
import { listAllTenants, listMyTenants, type TenantSummary } from '../../operations/tenants/list-tenants.ts';
import { readTenant } from '../../operations/tenants/read-tenant.ts';
import { replaceTenant } from '../../operations/tenants/replace-tenant.ts';
import { tenantDefinitionInput } from '../../operations/tenants/tenant-definition.ts';
import { updateTenant } from '../../operations/tenants/update-tenant.ts';
import type { ApiEnv } from '../api-env.ts';
import { jsonBody, jsonResponse, PROBLEM_RESPONSES, run, signedInRoute, tenantParams } from '../route.ts';

const summarySchema = z
  .object({ id: z.string(), slug: z.string(), name: z.string(), status: z.string(), role: z.string() })
  .openapi('TenantSummary');
const summariesSchema = z.object({ items: z.array(summarySchema), nextCursor: z.null() });

const tenantSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    status: z.string(),
    plan: z.string(),
    settings: z.record(z.string(), z.unknown()),
    siteVersion: z.number().int(),
    domains: z.array(z.object({ hostname: z.string(), primary: z.boolean(), verified: z.boolean() })),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Tenant');

const provisionedSchema = z
  .object({ tenantId: z.string(), slug: z.string(), created: z.boolean(), siteVersion: z.number().int(), hostnames: z.array(z.string()) })
  .openapi('ProvisionedTenant');

const NEW_SITE_EXAMPLE = {
  tenant: {
    slug: 'new-site',
    name: 'New Site',
    status: 'trial' as const,
    plan: 'starter' as const,
    settings: { locale: 'en' },
    domains: [{ hostname: 'new-site.example', primary: true }],
    theme: { preset: 'ocean', overrides: {} },
  },
  posts: [],
};

const listMineRoute = signedInRoute({
  method: 'get',
  path: '/tenants',
  operationId: 'listTenants',
  tags: ['Tenants'],
  summary: 'The sites the caller can see',
  description: 'A person: the sites they are a member of, with their role. A site key: its site. Platform admins and platform keys: every site.',
  responses: { 200: jsonResponse(summariesSchema, 'The sites, by slug.'), ...PROBLEM_RESPONSES },
});

const readRoute = signedInRoute({
  method: 'get',
  path: '/tenants/{tenant}',
  operationId: 'readTenant',
  tags: ['Tenants'],
  summary: 'One site',
  request: { params: tenantParams },
  responses: { 200: jsonResponse(tenantSchema, 'The site, with its domains.'), ...PROBLEM_RESPONSES },
});

const updateRoute = signedInRoute({
  method: 'patch',
  path: '/tenants/{tenant}',
  operationId: 'updateTenant',
  tags: ['Tenants'],
  summary: 'Rename a site or replace its settings',
  request: { params: tenantParams, body: jsonBody(updateTenant.input, { name: 'The Corner Bakery', settings: { locale: 'en', tagline: 'Fresh every morning' } }) },
  responses: {
    200: jsonResponse(z.object({ name: z.string(), settings: z.record(z.string(), z.unknown()), siteVersion: z.number().int() }), 'Updated.'),
    ...PROBLEM_RESPONSES,
  },
});

const listAllRoute = signedInRoute({
  method: 'get',
  path: '/platform/tenants',
  operationId: 'listAllTenants',
  tags: ['Platform'],
  summary: 'Every site on the platform',
  responses: { 200: jsonResponse(summariesSchema, 'Every site, by slug.'), ...PROBLEM_RESPONSES },
});

const createRoute = signedInRoute({
  method: 'post',
  path: '/platform/tenants',
  operationId: 'createTenant',
  tags: ['Platform'],
  summary: 'Create a site',
  description: 'From its definition (as in `tenant.json`), with its domains, theme and posts, and the pages it starts with (a blueprint’s: see `/blueprints`), each published as version 1. A slug in use is `409`.',
  request: { body: jsonBody(createTenant.input, NEW_SITE_EXAMPLE) },
  responses: { 201: jsonResponse(provisionedSchema, 'Created.'), ...PROBLEM_RESPONSES },
});

const replaceRoute = signedInRoute({
  method: 'put',
  path: '/platform/tenants/{tenant}',
  operationId: 'replaceTenant',
  tags: ['Platform'],
  summary: 'Bring a site in line with its definition',
  description: 'Status (trial, active, suspended, cancelled) and plan included; domains and theme replaced, posts upserted by slug.',
  request: { params: tenantParams, body: jsonBody(tenantDefinitionInput, { ...NEW_SITE_EXAMPLE, tenant: { ...NEW_SITE_EXAMPLE.tenant, status: 'active' } }) },
  responses: { 200: jsonResponse(provisionedSchema, 'Replaced.'), ...PROBLEM_RESPONSES },
});

/** Sites: the ones the caller can see, and the platform's lifecycle of them. */
export function tenantsResource() {
  const app = new OpenAPIHono<ApiEnv>();
  app.openapi(listMineRoute, async (c) => {
    const { actor } = c.get('caller');
    let items: TenantSummary[];
    if (isPlatformActor(actor)) items = await run(c, listAllTenants);
    else if (actor.kind === 'api-key' && actor.grant.scope === 'tenant') {
      const { grant } = actor;
      const site = await run(c, readTenant, {}, { id: grant.tenantId });
      items = [{ id: site.id, slug: site.slug, name: site.name, status: site.status, role: grant.role }];
    } else items = await run(c, listMyTenants);
    return c.json({ items, nextCursor: null }, 200);
  });
  app.openapi(readRoute, async (c) => c.json(await run(c, readTenant, {}, c.req.valid('param').tenant), 200));
  app.openapi(updateRoute, async (c) => c.json(await run(c, updateTenant, c.req.valid('json'), c.req.valid('param').tenant), 200));
  app.openapi(listAllRoute, async (c) => c.json({ items: await run(c, listAllTenants), nextCursor: null }, 200));
  app.openapi(createRoute, async (c) => c.json(await run(c, createTenant, c.req.valid('json')), 201));
  app.openapi(replaceRoute, async (c) => {
    const body = c.req.valid('json');
    if (body.tenant.slug !== c.req.valid('param').tenant) {
      throw new MosaicError('InvalidInput', undefined, [{ path: 'tenant.slug', message: 'must be the slug in the path' }]);
    }
    return c.json(await run(c, replaceTenant, body), 200);
  });
  return app;
}
