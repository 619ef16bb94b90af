import { OpenAPIHono, z } from '@hono/zod-openapi';
import { cloneTenant } from '../../operations/tenants/clone-tenant.ts';
import { onboardTenant } from '../../operations/tenants/onboard-tenant.ts';
import type { ApiEnv } from '../api-env.ts';
import { jsonBody, jsonResponse, PROBLEM_RESPONSES, run, signedInRoute, tenantParams } from '../route.ts';

const cloneBody = cloneTenant.input.shape.tenant;
const clonedSchema = z
  .object({ tenantId: z.string(), slug: z.string(), from: z.string(), created: z.boolean(), siteVersion: z.number().int(), hostnames: z.array(z.string()), pages: z.array(z.string()) })
  .openapi('ClonedTenant');

const dnsRecordSchema = z.object({ type: z.enum(['TXT', 'CNAME']), name: z.string(), value: z.string() });
const onboardedSchema = z
  .object({
    slug: z.string(),
    outcome: z.enum(['created', 'existed', 'valid']),
    tenantId: z.string().nullable(),
    plan: z.string(),
    blueprint: z.string().nullable(),
    pages: z.array(z.string()),
    domains: z.array(z.object({ hostname: z.string(), verified: z.boolean(), records: z.array(dnsRecordSchema) })),
    invitation: z.object({ email: z.string(), expiresAt: z.string(), link: z.string().nullable() }).nullable(),
  })
  .openapi('OnboardedTenant');

const cloneRoute = signedInRoute({
  method: 'post',
  path: '/platform/tenants/{tenant}/clone',
  operationId: 'cloneTenant',
  tags: ['Platform'],
  summary: 'A new site from this one’s published pages (as new history), theme and posts',
  description: 'Never its form messages, members or domains. The new site’s plan limits apply to the copy; a slug in use is `409`.',
  request: { params: tenantParams, body: jsonBody(cloneBody, { slug: 'bakery-copy', name: 'The Bakery (copy)', status: 'trial' }) },
  responses: { 201: jsonResponse(clonedSchema, 'Cloned.'), ...PROBLEM_RESPONSES },
});

const onboardRoute = signedInRoute({
  method: 'post',
  path: '/platform/onboard',
  operationId: 'onboardTenant',
  tags: ['Platform'],
  summary: 'Create one client site from a blueprint, with its domains and owner, in one step',
  description:
    'One row of a bulk onboarding: the site from its blueprint with theme overrides, its domains (unverified, each with the TXT record to create) and ' +
    'its owner’s invitation, all or nothing. A site already made from the same row (same slug, name, plan and domains) answers `200` with ' +
    '`outcome: existed`; a slug held otherwise is `409`; every other problem is `422`, all listed. `dryRun` checks and changes nothing.',
  request: {
    body: jsonBody(onboardTenant.input, {
      slug: 'harbor-dental',
      name: 'Harbor Dental',
      blueprint: 'local-business',
      plan: 'pro',
      domains: ['www.harbor-dental.example'],
      ownerEmail: 'owner@harbor-dental.example',
      theme: { preset: 'forest', overrides: { colors: { primary: '#0b6e4f' } } },
    }),
  },
  responses: { 201: jsonResponse(onboardedSchema, 'Created.'), 200: jsonResponse(onboardedSchema, 'Already there, or valid (a dry run).'), ...PROBLEM_RESPONSES },
});

/** Making sites from other sites and in bulk: platform staff, or a platform key. */
export function provisioningResource() {
  const app = new OpenAPIHono<ApiEnv>();
  app.openapi(cloneRoute, async (c) => c.json(await run(c, cloneTenant, { from: c.req.valid('param').tenant, tenant: c.req.valid('json') }), 201));
  app.openapi(onboardRoute, async (c) => {
    const result = await run(c, onboardTenant, c.req.valid('json'));
    return result.outcome === 'created' ? c.json(result, 201) : c.json(result, 200);
  });
  return app;
}
