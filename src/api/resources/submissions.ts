import { OpenAPIHono, z } from '@hono/zod-openapi';
import { deleteSubmissions, exportSubmissions, listSubmissions, readSubmission } from '../../operations/submissions/index.ts';
import type { ApiEnv } from '../api-env.ts';
import { jsonResponse, PROBLEM_RESPONSES, run, signedInRoute, tenantParams } from '../route.ts';
import { cursorPage, submissionView } from './content-schemas.ts';

const TAGS = ['Messages'];

const submissionParams = tenantParams.extend({
  submissionId: z.uuid().openapi({ param: { name: 'submissionId', in: 'path' }, example: '3d6f0a9b-2e4c-4b7a-8f1d-5c9e2a7b4d60' }),
});

const routes = {
  list: signedInRoute({
    method: 'get',
    path: '/tenants/{tenant}/submissions',
    operationId: 'listSubmissions',
    tags: TAGS,
    summary: 'Messages visitors sent through the site’s forms, newest first',
    request: { params: tenantParams, query: listSubmissions.input },
    responses: { 200: jsonResponse(cursorPage(submissionView, 'MessageList'), 'One page of messages.'), ...PROBLEM_RESPONSES },
  }),
  export: signedInRoute({
    method: 'get',
    path: '/tenants/{tenant}/submissions/export',
    operationId: 'exportSubmissions',
    tags: TAGS,
    summary: 'Messages as a CSV file (one form or a time range, if asked)',
    description: 'Cells a spreadsheet would run as a formula are prefixed with `\'`.',
    request: { params: tenantParams, query: exportSubmissions.input },
    responses: { 200: { description: 'The file.', content: { 'text/csv': { schema: z.string() } } }, ...PROBLEM_RESPONSES },
  }),
  read: signedInRoute({
    method: 'get',
    path: '/tenants/{tenant}/submissions/{submissionId}',
    operationId: 'readSubmission',
    tags: TAGS,
    summary: 'One message',
    request: { params: submissionParams },
    responses: { 200: jsonResponse(submissionView, 'The message.'), ...PROBLEM_RESPONSES },
  }),
  remove: signedInRoute({
    method: 'delete',
    path: '/tenants/{tenant}/submissions/{submissionId}',
    operationId: 'deleteSubmission',
    tags: TAGS,
    summary: 'Delete a message (the audit trail keeps that it was deleted, not what it said)',
    request: { params: submissionParams },
    responses: { 204: { description: 'Deleted.' }, ...PROBLEM_RESPONSES },
  }),
};

/** The site's form messages: read, exported, deleted. */
export function submissionsResource() {
  const app = new OpenAPIHono<ApiEnv>();
  app.openapi(routes.list, async (c) => c.json(await run(c, listSubmissions, c.req.valid('query'), c.req.valid('param').tenant), 200));
  // Before `{submissionId}`, so `export` is never read as an id.
  app.openapi(routes.export, async (c) => {
    const file = await run(c, exportSubmissions, c.req.valid('query'), c.req.valid('param').tenant);
    return c.body(file.csv, 200, { 'Content-Type': file.contentType, 'Content-Disposition': `attachment; filename="${file.filename}"` });
  });
  app.openapi(routes.read, async (c) => {
    const { tenant, submissionId } = c.req.valid('param');
    return c.json(await run(c, readSubmission, { submissionId }, tenant), 200);
  });
  app.openapi(routes.remove, async (c) => {
    const { tenant, submissionId } = c.req.valid('param');
    await run(c, deleteSubmissions, { submissionIds: [submissionId] }, tenant);
    return c.body(null, 204);
  });
  return app;
}
