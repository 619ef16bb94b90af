import { OpenAPIHono, z } from '@hono/zod-openapi';
import { listAudit } from '../../operations/audit/list-audit.ts';
import { readRegistry } from '../../operations/registry/read-registry.ts';
import type { ApiEnv } from '../api-env.ts';
import { jsonResponse, PROBLEM_RESPONSES, run, signedInRoute, tenantParams } from '../route.ts';

const auditRecordSchema = z
  .object({
    id: z.string(),
    action: z.string().openapi({ example: 'page.publish' }),
    subject: z.string(),
    actor: z.object({ label: z.string(), kind: z.enum(['user', 'api-key', 'system', 'cli']), id: z.string().nullable() }),
    before: z.unknown().openapi({ description: 'Only what changed, keyed by JSON pointer.' }),
    after: z.unknown(),
    detail: z.record(z.string(), z.unknown()),
    clientAddress: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('AuditRecord');

const sectionTypeSchema = z
  .object({
    type: z.string(),
    label: z.string(),
    description: z.string(),
    propsSchema: z.record(z.string(), z.unknown()).openapi({ description: 'JSON Schema (2020-12) of the props an editor writes.' }),
    defaultProps: z.unknown(),
    interactive: z.boolean(),
    variants: z.array(z.object({ name: z.string(), description: z.string(), interactive: z.boolean(), own: z.boolean() })),
  })
  .openapi('SectionType');

const auditRoute = signedInRoute({
  method: 'get',
  path: '/tenants/{tenant}/audit',
  operationId: 'listAudit',
  tags: ['Audit'],
  summary: 'The site’s audit trail',
  description: 'Newest first; filter by actor, action (`page.publish`, or `page.*`), subject and time. Cursor pagination: pass `nextCursor` back as `cursor`.',
  request: { params: tenantParams, query: listAudit.input },
  responses: {
    200: jsonResponse(z.object({ items: z.array(auditRecordSchema), nextCursor: z.string().nullable() }), 'One page of records.'),
    ...PROBLEM_RESPONSES,
  },
});

const registryRoute = signedInRoute({
  method: 'get',
  path: '/tenants/{tenant}/registry',
  operationId: 'readRegistry',
  tags: ['Registry'],
  summary: 'The section types this site’s pages may use',
  description: 'Each with a JSON Schema of its props, its label, defaults and the variants this site may name: the editor builds its forms from this.',
  request: { params: tenantParams },
  responses: { 200: jsonResponse(z.object({ sections: z.array(sectionTypeSchema) }), 'The catalog.'), ...PROBLEM_RESPONSES },
});

/** What a site's trail says happened, and what its pages may be built from. */
export function auditAndRegistryResource() {
  const app = new OpenAPIHono<ApiEnv>();
  app.openapi(auditRoute, async (c) => c.json(await run(c, listAudit, c.req.valid('query'), c.req.valid('param').tenant), 200));
  app.openapi(registryRoute, async (c) => c.json(await run(c, readRegistry, {}, c.req.valid('param').tenant), 200));
  return app;
}
