import { OpenAPIHono, z } from '@hono/zod-openapi';
import { MosaicError } from '../../errors/catalog.ts';
import { changePassword } from '../../operations/me/passwords.ts';
import { readMe } from '../../operations/me/read-me.ts';
import { listMySessions, signOut, signOutEverywhere } from '../../operations/me/sessions.ts';
import type { ApiDeps, ApiEnv } from '../api-env.ts';
import { jsonBody, jsonResponse, PROBLEM_RESPONSES, run, signedInRoute } from '../route.ts';

const membershipSchema = z.object({ tenantId: z.string(), slug: z.string(), name: z.string(), status: z.string(), role: z.string() });
const meSchema = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('user'),
      id: z.string(),
      email: z.string(),
      name: z.string(),
      platformAdmin: z.boolean(),
      memberships: z.array(membershipSchema),
      csrfToken: z.string().optional().openapi({ description: 'With a session: the token for `X-CSRF-Token`, again after a page reload.' }),
    }),
    z.object({
      kind: z.literal('api-key'),
      keyId: z.string(),
      prefix: z.string(),
      scope: z.enum(['tenant', 'platform']),
      tenantId: z.string().nullable(),
      role: z.string().nullable(),
    }),
    z.object({ kind: z.enum(['system', 'cli']), name: z.string() }),
  ])
  .openapi('Me');

const sessionSchema = z
  .object({
    id: z.string(),
    current: z.boolean(),
    createdAt: z.string(),
    lastSeenAt: z.string(),
    expiresAt: z.string(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
  })
  .openapi('Session');

const sessionIdParams = z.object({
  sessionId: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'is not a session id')
    .openapi({ param: { name: 'sessionId', in: 'path' } }),
});

const passwordBody = changePassword.input.omit({ keepSessionId: true });

const TAGS = ['Me'];

const readMeRoute = signedInRoute({
  method: 'get',
  path: '/me',
  operationId: 'readMe',
  tags: TAGS,
  summary: 'Who is calling',
  description: 'A person: their account and the sites they are a member of, with their role on each. An API key: its grant.',
  responses: { 200: jsonResponse(meSchema, 'The caller.'), ...PROBLEM_RESPONSES },
});

const listSessionsRoute = signedInRoute({
  method: 'get',
  path: '/me/sessions',
  operationId: 'listMySessions',
  tags: TAGS,
  summary: 'My open sessions',
  responses: { 200: jsonResponse(z.object({ items: z.array(sessionSchema) }), 'Open sessions, most recently used first.'), ...PROBLEM_RESPONSES },
});

const revokeSessionRoute = signedInRoute({
  method: 'delete',
  path: '/me/sessions/{sessionId}',
  operationId: 'revokeMySession',
  tags: TAGS,
  summary: 'End one of my sessions',
  request: { params: sessionIdParams },
  responses: { 204: { description: 'Ended (or already ended).' }, ...PROBLEM_RESPONSES },
});

const revokeAllRoute = signedInRoute({
  method: 'delete',
  path: '/me/sessions',
  operationId: 'revokeAllMySessions',
  tags: TAGS,
  summary: 'Sign out everywhere',
  description: 'Ends every session of the caller, this one included.',
  responses: { 200: jsonResponse(z.object({ revoked: z.number().int() }), 'How many sessions ended.'), ...PROBLEM_RESPONSES },
});

const changePasswordRoute = signedInRoute({
  method: 'post',
  path: '/me/password',
  operationId: 'changeMyPassword',
  tags: TAGS,
  summary: 'Change my password',
  description: 'Needs the current password. Every other session ends; this one stays open.',
  request: { body: jsonBody(passwordBody, { currentPassword: 'correct horse battery staple', newPassword: 'a new and long passphrase 42' }) },
  responses: { 200: jsonResponse(z.object({ sessionsRevoked: z.number().int() }), 'Changed.'), ...PROBLEM_RESPONSES },
});

/** The caller: who they are, their sessions, their password. */
export function meResource(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  app.openapi(readMeRoute, async (c) => {
    const me = await run(c, readMe);
    const { sessionId } = c.get('caller');
    return c.json(me.kind === 'user' && sessionId ? { ...me, csrfToken: deps.auth.csrfTokenFor(sessionId) } : me, 200);
  });
  app.openapi(listSessionsRoute, async (c) => {
    const current = c.get('caller').sessionId;
    const sessions = await run(c, listMySessions);
    return c.json({ items: sessions.map((s) => ({ ...s, current: s.id === current })) }, 200);
  });
  app.openapi(revokeSessionRoute, async (c) => {
    await run(c, signOut, { sessionId: c.req.valid('param').sessionId });
    return c.body(null, 204);
  });
  app.openapi(revokeAllRoute, async (c) => c.json(await run(c, signOutEverywhere), 200));
  app.openapi(changePasswordRoute, async (c) => {
    const { sessionId } = c.get('caller');
    if (c.get('caller').actor.kind !== 'user') throw new MosaicError('Forbidden', 'Only a signed-in person has a password.');
    const body = c.req.valid('json');
    return c.json(await run(c, changePassword, { ...body, ...(sessionId ? { keepSessionId: sessionId } : {}) }), 200);
  });
  return app;
}
