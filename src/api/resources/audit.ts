import { OpenAPIHono, z } from '@hono/zod-openapi';
import { listAudit } from '../../operations/audit/list-audit.ts';
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

/** What a site's trail says happened. */
export function auditResource() {
  const app = new OpenAPIHono<ApiEnv>();
  app.openapi(auditRoute, async (c) => c.json(await run(c, listAudit, c.req.valid('query'), c.req.valid('param').tenant), 200));
  return app;
}
