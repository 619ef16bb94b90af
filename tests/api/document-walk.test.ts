import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hashToken } from '../../src/auth/tokens.ts';
import { withScope } from '../../src/db/scope.ts';
import { createTestUser, uniqueEmail } from '../support/accounts.ts';
import { ApiClient, startApiServer, type ApiResponse } from '../support/api-client.ts';
import { createTestApiKey, createTestDomain, createTestInvitation, createTestMember, createTestPasswordReset } from '../support/api-fixtures.ts';
import { createTestPage, createTestPost, createTestSchedule, createTestSubmission } from '../support/content-fixtures.ts';
import { createTestTenant, openTestDatabases, uniqueSlug } from '../support/databases.ts';
import { createTestMedia } from '../support/images.ts';
import { eventually } from '../support/eventually.ts';
import { execute } from '../../src/operations/execute.ts';
import { exportTenant } from '../../src/operations/tenants/export-tenant.ts';
import { testContext } from '../support/publish.ts';
import type { RunningServer } from '../support/server-process.ts';

const MUTATING = ['post', 'put', 'patch', 'delete'] as const;

/** The phase each life-cycle call leaves from. */
const LIFECYCLE_FIXTURES: Record<string, 'trial' | 'active' | 'suspended' | 'deleted'> = {
  activateTenant: 'trial',
  suspendTenant: 'active',
  resumeTenant: 'suspended',
  cancelTenant: 'active',
  deleteTenant: 'active',
  restoreTenant: 'deleted',
  setTenantTrial: 'active',
};

interface DocumentedCall {
  method: (typeof MUTATING)[number];
  path: string;
  operationId: string;
  example: unknown;
  hasBody: boolean;
  /** False for a body that is a file (a site archive), not JSON. */
  json: boolean;
}

/** Who the audit records of one call may name: the people acting and the people acted on. */
interface Traces {
  ids: Set<string>;
  subjects: Set<string>;
}

/**
 * Walks the served OpenAPI document: every state-changing operation in it is called once as a
 * platform admin signed in with a session (so CSRF is exercised too), with its documented example
 * body, and must leave an audit record; then every one of them is called with bad input and must
 * answer with a problem and leave none.
 */
describe('walking the OpenAPI document', () => {
  const dbs = openTestDatabases();
  let server: RunningServer;
  let calls: DocumentedCall[];
  let site: { id: string; slug: string };
  const walker = { email: uniqueEmail('walker'), password: 'walker passphrase number 1', userId: '' };
  let client: ApiClient;

  beforeAll(async () => {
    [server, site] = await Promise.all([startApiServer({ API_RATE_LIMIT_PER_MINUTE: '100000', DNS_RESOLVERS: '127.0.0.1:9' }), createTestTenant(dbs.admin)]);
    walker.userId = (await createTestUser(dbs.admin, { platformAdmin: true, email: walker.email, password: walker.password })).userId;
    client = new ApiClient(server.port);
    const document = (await client.call('GET', '/openapi.json')).json;
    calls = Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
      MUTATING.filter((m) => item[m] && !item[m]['x-mosaic-read-only']).map((method) => ({
        method,
        path: path.replace(/^\/api\/v1/, ''),
        operationId: item[method].operationId as string,
        example: item[method].requestBody?.content?.['application/json']?.example,
        hasBody: item[method].requestBody !== undefined,
        json: item[method].requestBody === undefined || item[method].requestBody.content?.['application/json'] !== undefined,
      })),
    );
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await dbs.close();
  });

  async function ensureSignedIn(): Promise<void> {
    if ((await client.call('GET', '/me')).status === 200) return;
    client = new ApiClient(server.port);
    const response = await client.signIn(walker.email, walker.password);
    if (response.status !== 200) throw new Error(`walker could not sign in: ${response.body}`);
  }

  /** Fills `{name}` path parameters with something of this site to act on. */
  async function pathFor(call: DocumentedCall, traces: Traces): Promise<string> {
    let path = call.path;
    for (const [, name] of call.path.matchAll(/\{([A-Za-z]+)\}/g)) path = path.replace(`{${name}}`, await pathValue(name!, call, traces));
    return path;
  }

  async function pathValue(name: string, call: DocumentedCall, traces: Traces): Promise<string> {
    switch (name) {
      case 'tenant': {
        // Replacing a site acts on one of its own, named in the body too.
        if (call.operationId === 'replaceTenant') return (await createTestTenant(dbs.admin, { domains: [] })).slug;
        const phase = LIFECYCLE_FIXTURES[call.operationId];
        if (!phase) return site.slug;
        // A life-cycle change needs a site in the phase it leaves from.
        const fresh = await createTestTenant(dbs.admin, { domains: [], status: phase === 'deleted' ? 'active' : phase });
        if (phase === 'deleted') await withScope(dbs.admin, { platform: true }, (trx) => trx.updateTable('tenants').set({ deleted_at: new Date() }).where('id', '=', fresh.id).execute());
        return fresh.slug;
      }
      case 'userId': {
        const member = await createTestMember(dbs.admin, site.id, 'viewer');
        traces.subjects.add(member.email);
        return member.userId;
      }
      case 'invitationId':
        return (await createTestInvitation(dbs.admin, site.id)).id;
      case 'keyId':
        return (await createTestApiKey(dbs.admin, { tenantId: site.id, role: 'viewer' })).id;
      case 'mediaId':
        return (await createTestMedia(dbs.admin, site.id, { alt: 'Walked' })).id;
      case 'sessionId': {
        const other = new ApiClient(server.port);
        await other.signIn(walker.email, walker.password);
        return hashToken(other.cookie!);
      }
      case 'pageId':
        return pageFor(call.operationId);
      case 'jobId':
        return scheduled!.jobId;
      case 'postId':
        return (await createTestPost(dbs.admin, site)).id;
      case 'submissionId':
        return (await createTestSubmission(dbs.admin, site)).id;
      case 'hostname': {
        // Only a verified domain can become primary; a check of an unverified one asks the
        // test's resolver, which refuses at once.
        const hostname = await createTestDomain(dbs.admin, site.id, { verified: call.operationId === 'makeDomainPrimary' });
        traces.subjects.add(hostname);
        return hostname;
      }
      default:
        throw new Error(`No fixture for the path parameter {${name}} of ${call.operationId}: add one to pathValue.`);
    }
  }

  // The schedule whose page `{pageId}` named, for the `{jobId}` that follows it in the path.
  let scheduled: { pageId: string; jobId: string } | null = null;

  /** A page in the state the call acts on, matching its example (a blank page is at revision 1). */
  async function pageFor(operationId: string): Promise<string> {
    switch (operationId) {
      case 'savePageDraft':
        return (await createTestPage(dbs.admin, site, { blank: true })).id;
      case 'unpublishPage':
        return (await createTestPage(dbs.admin, site, { published: 1 })).id;
      case 'rollbackPage':
        return (await createTestPage(dbs.admin, site, { published: 2 })).id;
      case 'restorePage':
        return (await createTestPage(dbs.admin, site, { deleted: true })).id;
      case 'cancelPageSchedule':
        scheduled = await createTestSchedule(dbs.admin, site);
        return scheduled.pageId;
      default:
        return (await createTestPage(dbs.admin, site)).id;
    }
  }

  /** The documented example, made to act on fresh things where the example alone cannot (a slug in use, a token). */
  async function bodyFor(call: DocumentedCall, path: string, traces: Traces): Promise<unknown> {
    const example = structuredClone(call.example) as any;
    switch (call.operationId) {
      case 'signIn':
        return { email: walker.email, password: walker.password };
      case 'changeMyPassword': {
        const next = `walker passphrase ${randomBytes(4).toString('hex')}`;
        const body = { currentPassword: walker.password, newPassword: next };
        walker.password = next;
        return body;
      }
      case 'requestPasswordReset':
        traces.subjects.add(walker.email);
        return { email: walker.email };
      case 'confirmPasswordReset': {
        const user = await createTestUser(dbs.admin);
        traces.subjects.add(user.email);
        const token = await createTestPasswordReset(dbs.admin, user.userId);
        return { ...example, token };
      }
      case 'acceptInvitation': {
        const invitation = await createTestInvitation(dbs.admin, site.id);
        traces.subjects.add(invitation.email);
        return { ...example, token: invitation.token };
      }
      case 'createTenant': {
        const slug = uniqueSlug('walk');
        return { ...example, tenant: { ...example.tenant, slug, domains: [{ hostname: `${slug}.example`, primary: true }] } };
      }
      case 'replaceTenant': {
        const slug = path.split('/').at(-1)!;
        return { ...example, tenant: { ...example.tenant, slug, domains: [] } };
      }
      case 'inviteMember': {
        const email = uniqueEmail('walk-invite');
        traces.subjects.add(email);
        return { ...example, email };
      }
      case 'addMember': {
        const user = await createTestUser(dbs.admin);
        traces.subjects.add(user.email);
        return { ...example, email: user.email };
      }
      case 'createPage':
      case 'changePagePath':
        return { ...example, path: `/walk-${randomBytes(4).toString('hex')}` };
      case 'createPost':
        return { ...example, slug: uniqueSlug('walk') };
      case 'addDomain': {
        const hostname = `${uniqueSlug('walk')}.example`;
        traces.subjects.add(hostname);
        return { ...example, hostname };
      }
      case 'importTenant': {
        // A site of its own, exported; imported under a new slug (the walk's audit names it).
        const from = await createTestTenant(dbs.admin, { domains: [] });
        const exported = await execute(testContext(dbs.admin), exportTenant, { input: { slug: from.slug } });
        const slug = uniqueSlug('walk-import');
        traces.subjects.add(slug);
        importSlug = slug;
        return exported.bytes;
      }
      case 'updateTheme': {
        const theme = await dbs.admin.selectFrom('themes').select('revision').where('tenant_id', '=', site.id).executeTakeFirst();
        return { ...example, expectedRevision: theme?.revision ?? 0 };
      }
      default:
        return example;
    }
  }

  async function auditCount(traces: Traces): Promise<number> {
    // A site's trail, and the platform's for changes that belong to no one site.
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM (
        SELECT actor_id, subject FROM audit_log UNION ALL SELECT actor_id, subject FROM platform_audit_log
      ) trail
      WHERE actor_id = ANY(${[...traces.ids]}::text[]) OR subject = ANY(${[...traces.subjects]}::text[])
    `.execute(dbs.admin);
    return rows[0]!.n;
  }

  // The slug an archive is imported under (a query parameter, not part of the path template).
  let importSlug = '';

  async function send(call: DocumentedCall, path: string, body: unknown, raw?: string): Promise<ApiResponse> {
    if (Buffer.isBuffer(body)) return client.call(call.method.toUpperCase(), `${path}?slug=${importSlug}`, { rawBody: body, headers: { 'content-type': 'application/gzip' } });
    return client.call(call.method.toUpperCase(), path, raw === undefined ? { body: call.hasBody ? body : undefined } : { rawBody: raw });
  }

  test('the document lists the state-changing calls of every resource', () => {
    const ids = calls.map((c) => c.operationId);
    expect(ids).toEqual(expect.arrayContaining(['signIn', 'updateTenant', 'inviteMember', 'createApiKey', 'createTenant', 'revokeAllMySessions']));
  });

  test('every state-changing call in it, made with its example, succeeds and leaves an audit record', async () => {
    const missing: string[] = [];
    for (const call of calls) {
      await ensureSignedIn();
      const traces: Traces = { ids: new Set([walker.userId]), subjects: new Set() };
      const path = await pathFor(call, traces);
      const body = await bodyFor(call, path, traces);
      const before = await auditCount(traces);
      const response = await send(call, path, body);
      if (response.status >= 300) {
        missing.push(`${call.operationId}: ${response.status} ${response.body.slice(0, 300)}`);
        continue;
      }
      // A reset link is made and mailed after the answer, so its record may come a moment later.
      const after = await eventually(() => auditCount(traces), (n) => n > before, 5_000).catch(() => before);
      if (after <= before) missing.push(`${call.operationId}: no audit record`);
    }
    expect(missing).toEqual([]);
  }, 120_000);

  test('every state-changing call with bad input answers with a problem listing what is wrong, and changes nothing', async () => {
    const problems: string[] = [];
    for (const call of calls) {
      await ensureSignedIn();
      const traces: Traces = { ids: new Set([walker.userId]), subjects: new Set() };
      const path = await pathFor(call, traces);
      const before = await auditCount(traces);
      const attempts: { what: string; response: ApiResponse; expected: number[] }[] = [];
      if (call.hasBody && !call.json) {
        attempts.push({ what: 'bytes that are not the file', response: await send(call, path, undefined, 'not a file'), expected: [422] });
      } else if (call.hasBody) {
        attempts.push({ what: 'an array for a body', response: await send(call, path, []), expected: [422] });
        attempts.push({ what: 'malformed JSON', response: await send(call, path, undefined, '{"half":'), expected: [400] });
        attempts.push({ what: 'an unknown field', response: await send(call, path, { ...(call.example as object), unexpected: true }), expected: [422] });
      }
      for (const name of call.path.matchAll(/\{([A-Za-z]+)\}/g)) {
        const broken = call.path.replace(/\{[A-Za-z]+\}/g, (m) => (m === name[0] ? 'not%20valid' : path.split('/')[call.path.split('/').indexOf(m)]!));
        attempts.push({ what: `a bad {${name[1]}}`, response: await send(call, broken, await bodyFor(call, broken, traces)), expected: [404, 422] });
      }
      for (const { what, response, expected } of attempts) {
        const json = response.json ?? {};
        const clear =
          expected.includes(response.status) &&
          response.headers['content-type'] === 'application/problem+json' &&
          typeof json.code === 'string' &&
          typeof json.title === 'string' &&
          (response.status !== 422 || (Array.isArray(json.errors) && json.errors.length > 0 && json.errors.every((e: any) => e.path && e.message)));
        if (!clear) problems.push(`${call.operationId} with ${what}: ${response.status} ${response.body.slice(0, 200)}`);
      }
      if ((await auditCount(traces)) !== before) problems.push(`${call.operationId}: bad input changed something`);
    }
    expect(problems).toEqual([]);
  }, 180_000);
});
