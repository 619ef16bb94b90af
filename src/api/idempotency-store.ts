import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { withScope } from '../db/scope.ts';
import { MosaicError } from '../errors/catalog.ts';
import { actorUserId, describeActor, isPlatformActor } from '../operations/actor.ts';
import { announceChanges, type JoinedTransaction } from '../operations/execute.ts';
import type { OperationContext } from '../operations/operation.ts';
import type { SiteChange } from '../publishing/site-version.ts';

/** How long an answer is kept for retries (as Stripe does). */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

/** Keys clients send: printable ASCII without spaces (a UUID, a ULID, a random string), 1–255 characters. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** What the API answered, as stored for a replay. */
export interface StoredAnswer {
  status: number;
  body: unknown;
}

export interface IdempotentRequest {
  /** The tenant in the path; null for platform calls (platform actors only). */
  tenantId: string | null;
  key: string;
  /** `requestFingerprint` of the call: the same key with another request is refused. */
  fingerprint: string;
}

export type IdempotentResult = { replayed: boolean; answer: StoredAnswer };

/** Method, path and body (object keys sorted at every level, so their order does not matter), hashed. */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(JSON.stringify([method.toUpperCase(), path, sorted(body)])).digest('hex');
}

const sorted = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
  );
};

// Thrown to roll the claim back with a call that answered with an error: retrying it may succeed.
class Unsuccessful {
  readonly answer: StoredAnswer;
  constructor(answer: StoredAnswer) {
    this.answer = answer;
  }
}

/**
 * Runs `work` at most once per (tenant, actor, key). The key is claimed, the work's operations run
 * and its answer is stored in ONE transaction (`work` passes `joined` to `execute`): a retry after
 * a commit gets the stored answer (`replayed`); a crash before the commit leaves nothing, so the
 * retry does the work. A concurrent retry waits on the claim's unique index until the first call
 * commits, then replays its answer. An answer that is not 2xx is rolled back and not stored.
 * The same key with a different request is `IdempotencyKeyReused`, and nothing runs.
 */
export async function runIdempotent(
  context: OperationContext,
  request: IdempotentRequest,
  work: (joined: JoinedTransaction) => Promise<StoredAnswer>,
): Promise<IdempotentResult> {
  if (!IDEMPOTENCY_KEY_PATTERN.test(request.key)) {
    throw new MosaicError('InvalidInput', undefined, [{ path: 'Idempotency-Key', message: 'must be 1 to 255 printable ASCII characters without spaces' }]);
  }
  const { actor } = context;
  if (request.tenantId === null && !isPlatformActor(actor)) throw new MosaicError('Forbidden');
  const who = describeActor(actor);
  const actorId = who.id ?? who.label;
  const now = context.clock();
  const pendingChanges: SiteChange[] = [];
  const scope = { tenantId: request.tenantId, userId: actorUserId(actor), platform: request.tenantId === null };
  try {
    const result = await withScope(context.db, scope, async (trx): Promise<IdempotentResult> => {
      const sameKey = sql<boolean>`tenant_id IS NOT DISTINCT FROM ${request.tenantId} AND actor_kind = ${who.kind} AND actor_id = ${actorId} AND key = ${request.key}`;
      // Expired answers of this tenant (this key's among them) go first: keys are reusable after a day, and the table stays small.
      await trx.deleteFrom('idempotency_keys').where(sql<boolean>`tenant_id IS NOT DISTINCT FROM ${request.tenantId}`).where('expires_at', '<=', now).execute();
      const claimed = await trx
        .insertInto('idempotency_keys')
        .values({
          tenant_id: request.tenantId,
          actor_kind: who.kind,
          actor_id: actorId,
          key: request.key,
          fingerprint: request.fingerprint,
          expires_at: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
        })
        .onConflict((conflict) => conflict.doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!claimed) {
        const stored = await trx.selectFrom('idempotency_keys').select(['fingerprint', 'response_status', 'response_body']).where(sameKey).executeTakeFirst();
        return replay(stored, request);
      }

      const answer = await work({ trx, pendingChanges });
      if (answer.status < 200 || answer.status > 299) throw new Unsuccessful(answer);
      await trx
        .updateTable('idempotency_keys')
        .set({ response_status: answer.status, response_body: JSON.stringify(answer.body ?? null) })
        .where('id', '=', claimed.id)
        .execute();
      return { replayed: false, answer };
    });
    await announceChanges(context, pendingChanges);
    return result;
  } catch (error) {
    if (error instanceof Unsuccessful) return { replayed: false, answer: error.answer };
    throw error;
  }
}

function replay(
  row: { fingerprint: string; response_status: number | null; response_body: unknown } | undefined,
  request: IdempotentRequest,
): IdempotentResult {
  // The claim committed with its answer, so a row without one was written by something else.
  if (!row || row.response_status === null) throw new MosaicError('Conflict', 'A request with this Idempotency-Key is still being processed.');
  if (row.fingerprint !== request.fingerprint) throw new MosaicError('IdempotencyKeyReused');
  return { replayed: true, answer: { status: row.response_status, body: row.response_body } };
}
