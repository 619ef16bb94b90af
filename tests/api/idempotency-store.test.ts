import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { IDEMPOTENCY_TTL_MS, requestFingerprint, runIdempotent, type StoredAnswer } from '../../src/api/idempotency-store.ts';
import { withTenant } from '../../src/db/tenant-scope.ts';
import { MosaicError } from '../../src/errors/catalog.ts';
import { execute, type JoinedTransaction } from '../../src/operations/execute.ts';
import { createPage } from '../../src/operations/pages/index.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import { mosaicError, roleActors, type UserActor } from '../support/operations.ts';
import { testContext } from '../support/publish.ts';

// The store behind `Idempotency-Key`, on the real database as the app role: one transaction claims
// the key, runs the call's operations and keeps the answer.
describe('the idempotency store', () => {
  const dbs = openTestDatabases(4);
  let tenant: { id: string; slug: string };
  let other: { id: string; slug: string };
  let editor: UserActor;
  let colleague: UserActor;
  const pagePath = (suffix: string) => `/idem-${suffix}`;
  const fingerprint = (body: unknown) => requestFingerprint('POST', `/api/v1/tenants/${tenant.slug}/pages`, body);
  const livePages = async (path: string) =>
    (await dbs.admin.selectFrom('pages').select('id').where('tenant_id', '=', tenant.id).where('path', '=', path).execute()).length;

  const creating =
    (context: ReturnType<typeof testContext>, body: { path: string; title: string }, status = 201) =>
    async (joined: JoinedTransaction): Promise<StoredAnswer> => ({ status, body: await execute(context, createPage, { tenant: { id: tenant.id }, input: body }, joined) });

  const create = (actor: UserActor, key: string, body: { path: string; title: string }, options: { clock?: () => Date; status?: number } = {}) => {
    const context = testContext(dbs.app, { actor, clock: options.clock });
    return runIdempotent(context, { tenantId: tenant.id, key, fingerprint: fingerprint(body) }, creating(context, body, options.status));
  };

  beforeAll(async () => {
    tenant = await createTestTenant(dbs.admin);
    other = await createTestTenant(dbs.admin);
    ({ editor, admin: colleague } = await roleActors(dbs.admin, tenant.id));
  });
  afterAll(() => dbs.close());

  test('the same key twice creates one page; the second call gets the first answer', async () => {
    const body = { path: pagePath('once'), title: 'Once' };
    const first = await create(editor, 'key-once', body);
    const second = await create(editor, 'key-once', body);
    expect(first.replayed).toBe(false);
    expect(second).toEqual({ replayed: true, answer: first.answer });
    expect(first.answer.status).toBe(201);
    expect(await livePages(body.path)).toBe(1);
  });

  test('the same key with another body is refused and creates nothing', async () => {
    await create(editor, 'key-body', { path: pagePath('body-a'), title: 'A' });
    const error = await mosaicError(create(editor, 'key-body', { path: pagePath('body-b'), title: 'B' }));
    expect(error.code).toBe('IdempotencyKeyReused');
    expect(error.status).toBe(422);
    expect(await livePages(pagePath('body-b'))).toBe(0);
  });

  test('key order in the body does not matter; method and path do', () => {
    expect(requestFingerprint('post', '/a', { a: 1, b: { c: [1, { d: 2, e: 3 }] } })).toBe(requestFingerprint('POST', '/a', { b: { c: [1, { e: 3, d: 2 }] }, a: 1 }));
    expect(requestFingerprint('POST', '/a', {})).not.toBe(requestFingerprint('POST', '/b', {}));
    expect(requestFingerprint('POST', '/a', {})).not.toBe(requestFingerprint('PUT', '/a', {}));
  });

  test('concurrent retries with one key create one page', async () => {
    const body = { path: pagePath('race'), title: 'Race' };
    const results = await Promise.all([1, 2, 3, 4].map(() => create(editor, 'key-race', body)));
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    for (const result of results) expect(result.answer).toEqual(results[0]!.answer);
    expect(await livePages(body.path)).toBe(1);
  });

  test('a failed call stores nothing: the retry with the same key does the work', async () => {
    const body = { path: pagePath('retry'), title: 'Retry' };
    const context = testContext(dbs.app, { actor: editor });
    const failing = runIdempotent(context, { tenantId: tenant.id, key: 'key-retry', fingerprint: fingerprint(body) }, async () => {
      throw new MosaicError('ServiceUnavailable');
    });
    expect((await mosaicError(failing)).code).toBe('ServiceUnavailable');
    const retried = await create(editor, 'key-retry', body);
    expect(retried.replayed).toBe(false);
    expect(await livePages(body.path)).toBe(1);
  });

  test('an answer that is not 2xx rolls back what the call wrote and is not kept', async () => {
    const body = { path: pagePath('rolled-back'), title: 'Rolled back' };
    const refused = await create(editor, 'key-500', body, { status: 500 });
    expect(refused).toMatchObject({ replayed: false, answer: { status: 500 } });
    expect(await livePages(body.path)).toBe(0);
    expect((await create(editor, 'key-500', body)).replayed).toBe(false);
    expect(await livePages(body.path)).toBe(1);
  });

  test('keys belong to one actor on one tenant', async () => {
    await create(editor, 'key-shared', { path: pagePath('mine'), title: 'Mine' });
    const theirs = await create(colleague, 'key-shared', { path: pagePath('theirs'), title: 'Theirs' });
    expect(theirs.replayed).toBe(false);
    expect(await livePages(pagePath('theirs'))).toBe(1);
    // Row-level security: in another tenant's context the app role sees none of these keys.
    const keysIn = (tenantId: string) => withTenant(dbs.app, tenantId, (trx) => trx.selectFrom('idempotency_keys').select('key').where('key', '=', 'key-shared').execute());
    expect(await keysIn(tenant.id)).toHaveLength(2);
    const seen = await keysIn(other.id);
    expect(seen).toEqual([]);
  });

  test('after a day the key may be used again', async () => {
    const start = Date.now();
    await create(editor, 'key-expiring', { path: pagePath('day-1'), title: 'Day 1' });
    const later = () => new Date(start + IDEMPOTENCY_TTL_MS + 60_000);
    const next = await create(editor, 'key-expiring', { path: pagePath('day-2'), title: 'Day 2' }, { clock: later });
    expect(next.replayed).toBe(false);
    expect(await livePages(pagePath('day-2'))).toBe(1);
    // Every answer of the tenant older than a day went with it.
    const expired = await dbs.admin.selectFrom('idempotency_keys').select('key').where('tenant_id', '=', tenant.id).where('expires_at', '<=', later()).execute();
    expect(expired).toEqual([]);
  });

  test('a key that is not printable ASCII is refused, naming the header', async () => {
    for (const key of ['', 'has space', 'ü', 'x'.repeat(256)]) {
      const error = await mosaicError(create(editor, key, { path: pagePath('bad-key'), title: 'Bad' }));
      expect(error.code).toBe('InvalidInput');
      expect(error.details).toEqual([{ path: 'Idempotency-Key', message: expect.any(String) }]);
    }
    expect(await livePages(pagePath('bad-key'))).toBe(0);
  });
});
