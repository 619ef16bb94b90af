import { OpenAPIHono, z } from '@hono/zod-openapi';
import { createPlatformApiKey, listPlatformApiKeys, revokeAnyApiKey } from '../../operations/api-keys/platform-api-keys.ts';
import { createApiKey, listApiKeys, revokeApiKey } from '../../operations/api-keys/tenant-api-keys.ts';
import type { ApiEnv } from '../api-env.ts';
import { jsonBody, jsonResponse, PROBLEM_RESPONSES, run, signedInRoute, tenantParams } from '../route.ts';

const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().openapi({ example: 'mk_a1b2c3d4' }),
    role: z.enum(['owner', 'admin', 'editor', 'viewer']).nullable(),
    scope: z.enum(['tenant', 'platform']),
    createdBy: z.string(),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    active: z.boolean(),
  })
  .openapi('ApiKey');
const createdKeySchema = z
  .object({ key: apiKeySchema, secret: z.string().openapi({ description: 'The whole key, shown this once: `Authorization: Bearer <secret>`.' }) })
  .openapi('CreatedApiKey');
const keyListSchema = z.object({ items: z.array(apiKeySchema), nextCursor: z.null() });
const keyIdParam = z.uuid().openapi({ param: { name: 'keyId', in: 'path' } });
const KEYS = ['API keys'];
const PLATFORM = ['Platform'];

const listRoute = signedInRoute({
  method: 'get',
  path: '/tenants/{tenant}/api-keys',
  operationId: 'listApiKeys',
  tags: KEYS,
  summary: 'The site’s API keys',
  description: 'Revoked and expired ones included, newest first. Secrets are never listed.',
  request: { params: tenantParams },
  responses: { 200: jsonResponse(keyListSchema, 'Keys.'), ...PROBLEM_RESPONSES },
});

const createRoute = signedInRoute({
  method: 'post',
  path: '/tenants/{tenant}/api-keys',
  operationId: 'createApiKey',
  tags: KEYS,
  summary: 'Create a key with one role on this site',
  description: 'Never above the caller’s own role. The secret is in this answer only.',
  request: { params: tenantParams, body: jsonBody(createApiKey.input, { name: 'Deploy bot', role: 'editor', expiresAt: null }) },
  responses: { 201: jsonResponse(createdKeySchema, 'Created.'), ...PROBLEM_RESPONSES },
});

const revokeRoute = signedInRoute({
  method: 'delete',
  path: '/tenants/{tenant}/api-keys/{keyId}',
  operationId: 'revokeApiKey',
  tags: KEYS,
  summary: 'Revoke a key at once',
  request: { params: tenantParams.extend({ keyId: keyIdParam }) },
  responses: { 200: jsonResponse(apiKeySchema, 'The key, revoked.'), ...PROBLEM_RESPONSES },
});

const listPlatformRoute = signedInRoute({
  method: 'get',
  path: '/platform/api-keys',
  operationId: 'listPlatformApiKeys',
  tags: PLATFORM,
  summary: 'Platform-wide keys',
  responses: { 200: jsonResponse(keyListSchema, 'Keys.'), ...PROBLEM_RESPONSES },
});

const createPlatformRoute = signedInRoute({
  method: 'post',
  path: '/platform/api-keys',
  operationId: 'createPlatformApiKey',
  tags: PLATFORM,
  summary: 'Create a platform-wide key',
  description: 'It may do everything a platform admin may. The secret is in this answer only.',
  request: { body: jsonBody(createPlatformApiKey.input, { name: 'Provisioning', expiresAt: '2030-01-01T00:00:00Z' }) },
  responses: { 201: jsonResponse(createdKeySchema, 'Created.'), ...PROBLEM_RESPONSES },
});

const revokeAnyRoute = signedInRoute({
  method: 'delete',
  path: '/platform/api-keys/{keyId}',
  operationId: 'revokeAnyApiKey',
  tags: PLATFORM,
  summary: 'Revoke any key, platform or site',
  request: { params: z.object({ keyId: keyIdParam }) },
  responses: { 200: jsonResponse(apiKeySchema, 'The key, revoked.'), ...PROBLEM_RESPONSES },
});

/** API keys: a site's, and the platform's. */
export function apiKeysResource() {
  const app = new OpenAPIHono<ApiEnv>();
  app.openapi(listRoute, async (c) => c.json({ items: await run(c, listApiKeys, {}, c.req.valid('param').tenant), nextCursor: null }, 200));
  app.openapi(createRoute, async (c) => c.json(await run(c, createApiKey, c.req.valid('json'), c.req.valid('param').tenant), 201));
  app.openapi(revokeRoute, async (c) => {
    const { tenant, keyId } = c.req.valid('param');
    return c.json(await run(c, revokeApiKey, { keyId }, tenant), 200);
  });
  app.openapi(listPlatformRoute, async (c) => c.json({ items: await run(c, listPlatformApiKeys), nextCursor: null }, 200));
  app.openapi(createPlatformRoute, async (c) => c.json(await run(c, createPlatformApiKey, c.req.valid('json')), 201));
  app.openapi(revokeAnyRoute, async (c) => c.json(await run(c, revokeAnyApiKey, { keyId: c.req.valid('param').keyId }), 200));
  return app;
}
