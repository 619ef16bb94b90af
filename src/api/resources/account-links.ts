import { OpenAPIHono, z } from '@hono/zod-openapi';
import { tokenSchema } from '../../auth/account-schemas.ts';
import { acceptInvitationInput } from '../../auth/invitation-flow.ts';
import { passwordResetConfirmInput, passwordResetRequestInput } from '../../auth/password-reset-flow.ts';
import type { ClientInfo } from '../../auth/auth-deps.ts';
import type { ApiDeps, ApiEnv } from '../api-env.ts';
import { jsonBody, jsonResponse, PROBLEM_RESPONSES, publicRoute } from '../route.ts';
import type { Context } from 'hono';

// Tokens from emailed links, for the examples: 43 base64url characters.
const EXAMPLE_TOKEN = 'q3Vd8mQ0cKX2yQwU4s1n9Hh7Lk5Rt0Zp6Ye2Wb8Nc4M';
const TAGS = ['Account links'];

const resetRequestRoute = publicRoute({
  method: 'post',
  path: '/password-resets',
  operationId: 'requestPasswordReset',
  tags: TAGS,
  summary: 'Ask for a password-reset link',
  description: 'The answer is the same whether or not the email has an account; the link is mailed, never returned.',
  request: { body: jsonBody(passwordResetRequestInput, { email: 'owner@bakery.example' }) },
  responses: { 202: jsonResponse(z.object({ accepted: z.boolean(), message: z.string() }), 'Accepted.'), ...PROBLEM_RESPONSES },
});

const resetConfirmRoute = publicRoute({
  method: 'post',
  path: '/password-resets/confirm',
  operationId: 'confirmPasswordReset',
  tags: TAGS,
  summary: 'Choose a new password with a reset link’s token',
  description: 'Single use, one hour. Every session of the account ends.',
  request: { body: jsonBody(passwordResetConfirmInput, { token: EXAMPLE_TOKEN, password: 'a new and long passphrase 42' }) },
  responses: {
    200: jsonResponse(z.object({ userId: z.string(), email: z.string(), sessionsRevoked: z.number().int() }), 'The password is changed.'),
    ...PROBLEM_RESPONSES,
  },
});

const previewRoute = publicRoute({
  method: 'post',
  path: '/invitations/preview',
  operationId: 'previewInvitation',
  // POST keeps the token out of URLs and logs; it changes nothing, which the document says.
  'x-mosaic-read-only': true,
  tags: TAGS,
  summary: 'What an invitation link offers',
  description: 'The site, the role and whether the address has an account already (then no password is asked for).',
  request: { body: jsonBody(z.strictObject({ token: tokenSchema }), { token: EXAMPLE_TOKEN }) },
  responses: {
    200: jsonResponse(
      z.object({
        site: z.object({ slug: z.string(), name: z.string() }),
        email: z.string(),
        role: z.string(),
        expiresAt: z.string(),
        accountExists: z.boolean(),
      }),
      'The invitation.',
    ),
    ...PROBLEM_RESPONSES,
  },
});

const acceptRoute = publicRoute({
  method: 'post',
  path: '/invitations/accept',
  operationId: 'acceptInvitation',
  tags: TAGS,
  summary: 'Accept an invitation',
  description: 'A new address also chooses its password (and name); an existing account only gets the membership. Single use, expiring.',
  request: { body: jsonBody(acceptInvitationInput, { token: EXAMPLE_TOKEN, password: 'a new and long passphrase 42', name: 'Ada' }) },
  responses: {
    200: jsonResponse(
      z.object({
        userId: z.string(),
        email: z.string(),
        tenant: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
        role: z.string(),
        createdAccount: z.boolean(),
      }),
      'Accepted; sign in to continue.',
    ),
    ...PROBLEM_RESPONSES,
  },
});

const clientOf = (c: Context<ApiEnv>): ClientInfo => ({ address: c.env.clientAddress, userAgent: c.req.header('user-agent') ?? null });

/** What emailed links lead to: no sign-in, the link's token is the credential. */
export function accountLinksResource(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  app.openapi(resetRequestRoute, async (c) => {
    const { response } = await deps.auth.requestPasswordReset(c.req.valid('json'), clientOf(c));
    return c.json(response, 202);
  });
  app.openapi(resetConfirmRoute, async (c) => {
    const result = await deps.auth.confirmPasswordReset(c.req.valid('json'), clientOf(c));
    return c.json(result, 200);
  });
  app.openapi(previewRoute, async (c) => c.json(await deps.auth.previewInvitation(c.req.valid('json').token), 200));
  app.openapi(acceptRoute, async (c) => c.json(await deps.auth.acceptInvitation(c.req.valid('json'), clientOf(c)), 200));
  return app;
}
