import { OpenAPIHono, z } from '@hono/zod-openapi';
import { getCookie } from 'hono/cookie';
import { SESSION_COOKIE } from '../../auth/session-auth.ts';
import { signInInput } from '../../auth/sign-in.ts';
import { MosaicError } from '../../errors/catalog.ts';
import { signOut } from '../../operations/me/sessions.ts';
import type { ApiDeps, ApiEnv } from '../api-env.ts';
import { jsonBody, jsonResponse, PROBLEM_RESPONSES, publicRoute, run, signedInRoute } from '../route.ts';

const signedInSchema = z
  .object({
    user: z.object({ id: z.string(), email: z.string(), platformAdmin: z.boolean() }),
    expiresAt: z.string().openapi({ format: 'date-time' }),
    csrfToken: z.string().openapi({ description: 'Send as `X-CSRF-Token` with every state-changing call made with this session.' }),
  })
  .openapi('SignedIn');

const signInRoute = publicRoute({
  method: 'post',
  path: '/session',
  operationId: 'signIn',
  tags: ['Session'],
  summary: 'Sign in',
  description:
    'Checks the email and password and sets the session cookie (`mosaic_session`, HttpOnly). Wrong email, wrong password and a disabled account get the same `401`; repeated failures are throttled (`429` with `Retry-After`).',
  request: { body: jsonBody(signInInput, { email: 'owner@bakery.example', password: 'correct horse battery staple' }) },
  responses: { 200: jsonResponse(signedInSchema, 'Signed in; the cookie is set.'), ...PROBLEM_RESPONSES },
});

const currentSessionSchema = z
  .object({
    user: z.object({ id: z.string(), email: z.string(), platformAdmin: z.boolean() }),
    csrfToken: z.string().openapi({ description: 'Send as `X-CSRF-Token` with every state-changing call made with this session.' }),
  })
  .openapi('CurrentSession');

const readSessionRoute = signedInRoute({
  method: 'get',
  path: '/session',
  operationId: 'readSession',
  tags: ['Session'],
  summary: 'The current session',
  description:
    "The signed-in user and the session's CSRF token, so a page loaded again can keep making state-changing calls. Only a session cookie answers; API keys get `403`.",
  responses: { 200: jsonResponse(currentSessionSchema, 'The session of the cookie.'), ...PROBLEM_RESPONSES },
});

const signOutRoute = signedInRoute({
  method: 'delete',
  path: '/session',
  operationId: 'signOut',
  tags: ['Session'],
  summary: 'Sign out',
  description: 'Ends the session of the cookie and clears it.',
  responses: { 204: { description: 'Signed out.' }, ...PROBLEM_RESPONSES },
});

/** Signing in and out with the session cookie. */
export function sessionResource(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  app.openapi(signInRoute, async (c) => {
    const result = await deps.auth.signIn(c.req.valid('json'), {
      address: c.env.clientAddress,
      userAgent: c.req.header('user-agent') ?? null,
      presentedToken: getCookie(c, SESSION_COOKIE) ?? null,
    });
    c.header('Set-Cookie', deps.auth.sessionCookie(result.token, new Date(result.expiresAt)).header);
    const { actor } = result;
    return c.json({ user: { id: actor.userId, email: actor.email, platformAdmin: actor.platformAdmin }, expiresAt: result.expiresAt, csrfToken: result.csrfToken }, 200);
  });
  app.openapi(readSessionRoute, (c) => {
    const { sessionId, actor } = c.get('caller');
    if (!sessionId || actor.kind !== 'user') throw new MosaicError('Forbidden', 'Only a session has a CSRF token; API keys need none.');
    return c.json({ user: { id: actor.userId, email: actor.email, platformAdmin: actor.platformAdmin }, csrfToken: deps.auth.csrfTokenFor(sessionId) }, 200);
  });
  app.openapi(signOutRoute, async (c) => {
    const { sessionId } = c.get('caller');
    if (!sessionId) throw new MosaicError('Forbidden', 'Only a session signs out; revoke an API key instead.');
    await run(c, signOut, { sessionId });
    c.header('Set-Cookie', deps.auth.clearedSessionCookie().header);
    return c.body(null, 204);
  });
  return app;
}
