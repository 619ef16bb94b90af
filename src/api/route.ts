import { createRoute, z, type RouteConfig } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { z as zod } from 'zod';
import { execute, type JoinedTransaction, type TenantSelector } from '../operations/execute.ts';
import type { OperationSpec } from '../operations/operation.ts';
import type { ApiEnv, SignedInEnv } from './api-env.ts';
import { signedIn } from './authenticate.ts';
import { PROBLEM_MEDIA_TYPE, problemSchema } from './problem.ts';

/** Every error answer, whatever the route: a problem document (RFC 9457). */
export const PROBLEM_RESPONSES = {
  default: { description: 'An error, as problem details (RFC 9457).', content: { [PROBLEM_MEDIA_TYPE]: { schema: problemSchema } } },
} as const;

/** The credentials a signed-in route accepts, as named in the document's security schemes. */
export const SIGNED_IN_SECURITY: Record<string, string[]>[] = [{ session: [] }, { apiKey: [] }];

/** A route that needs a caller (`401` without one). */
export function signedInRoute<const R extends Omit<RouteConfig, 'middleware' | 'security'>>(config: R) {
  return createRoute({ ...config, security: SIGNED_IN_SECURITY, middleware: signedIn });
}

/** A route open to anonymous callers (signing in, links from emails). */
export function publicRoute<const R extends Omit<RouteConfig, 'middleware' | 'security'>>(config: R) {
  return createRoute({ ...config, security: [] });
}

/** `{tenant}`: a site's slug; a site the caller may not see answers `404`. */
export const tenantParams = z.object({
  tenant: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'tenant', in: 'path' }, example: 'bakery' }),
});

/** A JSON body, required, with an example for the reference and for tests that walk the document. */
export function jsonBody<S extends zod.ZodType>(schema: S, example: zod.input<S>, description?: string) {
  return {
    required: true,
    description,
    content: { 'application/json': { schema, example } },
  } as const;
}

/** A JSON answer. */
export function jsonResponse<S extends zod.ZodType>(schema: S, description: string) {
  return { description, content: { 'application/json': { schema } } } as const;
}

export type SignedInContext = Context<ApiEnv & SignedInEnv>;

/**
 * Runs an operation as the caller; tenant-scoped ones on a site named by slug (the path's
 * `{tenant}`) or id; inside `joined` when a creating call holds an Idempotency-Key (`createdOnce`).
 */
export function run<S extends zod.ZodType, O>(
  c: SignedInContext,
  op: OperationSpec<S, O>,
  input: unknown = {},
  tenant?: string | TenantSelector,
  joined?: JoinedTransaction,
): Promise<O> {
  return execute(c.get('context'), op, { input, tenant: typeof tenant === 'string' ? { slug: tenant } : tenant }, joined);
}
