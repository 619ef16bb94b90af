import { z } from '@hono/zod-openapi';
import { MosaicError } from '../errors/catalog.ts';
import { tenantIdForSlug, type JoinedTransaction } from '../operations/execute.ts';
import { requestFingerprint, runIdempotent } from './idempotency-store.ts';
import type { SignedInContext } from './route.ts';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** How the document describes the header on creating calls. */
export const IDEMPOTENCY_HEADERS = z.object({
  'idempotency-key': z
    .string()
    .optional()
    .openapi({
      description: 'Any unique string (a UUID): a retry with the same key and body gets the first answer and creates nothing twice, for 24 hours.',
      example: '7f9c2a4e-0b1d-4c7e-9f35-2a8d61b0c3e1',
    }),
});

/**
 * A creating call on `{tenant}`: without `Idempotency-Key`, `create()` runs as usual. With one,
 * it runs inside the transaction that claims the key and keeps the answer (see `runIdempotent`),
 * and a retry is answered the stored result with `Idempotent-Replayed: true`. `body` is what the
 * request asked for, so the same key with another request is refused.
 */
export async function createdOnce<O>(c: SignedInContext, tenantSlug: string, body: unknown, create: (joined?: JoinedTransaction) => Promise<O>): Promise<O> {
  const key = c.req.header(IDEMPOTENCY_HEADER);
  if (key === undefined) return create();
  const context = c.get('context');
  const tenantId = await tenantIdForSlug(context.db, tenantSlug);
  // The operation would answer the same; checked first, so no claim is tried on nothing.
  if (!tenantId) throw new MosaicError('NotFound');
  const fingerprint = requestFingerprint(c.req.method, c.req.path, body);
  const result = await runIdempotent(context, { tenantId, key, fingerprint }, async (joined) => ({ status: 201, body: await create(joined) }));
  if (result.replayed) c.header('Idempotent-Replayed', 'true');
  return result.answer.body as O;
}
