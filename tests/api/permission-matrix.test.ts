import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ACTIONS, can, TENANT_ROLES, type Action } from '../../src/operations/permissions.ts';
import type { TenantRole } from '../../src/db/schema.ts';
import { createTestUser } from '../support/accounts.ts';
import { ApiClient, startApiServer } from '../support/api-client.ts';
import { createTestApiKey, createTestMember } from '../support/api-fixtures.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import type { RunningServer } from '../support/server-process.ts';
import { ACTIONS_WITHOUT_OPERATION, PENDING_ACTIONS, PERMISSION_CASES, type PermissionCase } from './permission-cases.ts';

const OPERATIONS_DIR = fileURLToPath(new URL('../../src/operations/', import.meta.url));
const PASSWORD = 'matrix passphrase for every role';
const AT_ONCE = 8;

/** Every action some operation needs: as its `action`, or checked inside it with `require`. */
async function actionsNamedByOperations(): Promise<Set<string>> {
  const files = (await readdir(OPERATIONS_DIR, { recursive: true })).filter((f) => f.endsWith('.ts'));
  const named = new Set<string>();
  for (const file of files) {
    const text = await readFile(path.join(OPERATIONS_DIR, file), 'utf8');
    for (const match of text.matchAll(/(?:action: |require\()'([a-z.-]+)'/g)) named.add(match[1]!);
  }
  return named;
}

describe('the permission cases', () => {
  test('cover every action of the permission table, each in exactly one list', () => {
    for (const action of ACTIONS) {
      const lists = [action in PERMISSION_CASES, PENDING_ACTIONS.has(action), ACTIONS_WITHOUT_OPERATION.has(action)].filter(Boolean);
      expect(lists, action).toHaveLength(1);
    }
  });

  test('list as without an operation only actions that no operation needs, and test only actions some operation needs', async () => {
    const named = await actionsNamedByOperations();
    expect([...ACTIONS_WITHOUT_OPERATION].filter((a) => named.has(a))).toEqual([]);
    expect(Object.keys(PERMISSION_CASES).filter((a) => !named.has(a))).toEqual([]);
  });
});

interface Caller {
  label: string;
  client: ApiClient;
  /** The role on the caller's own site; `platform` for platform admins and platform keys. */
  role: TenantRole | 'platform';
}

interface Outcome {
  call: string;
  status: number;
  expected: number;
  leaked: boolean;
}

describe('the permission matrix over HTTP', () => {
  const dbs = openTestDatabases(8);
  let server: RunningServer;
  let own: { id: string; slug: string };
  let other: { id: string; slug: string; name: string };
  const callers: Caller[] = [];

  beforeAll(async () => {
    [server, own, other] = await Promise.all([
      startApiServer({ API_RATE_LIMIT_PER_MINUTE: '100000' }),
      createTestTenant(dbs.admin, { plan: 'enterprise' }),
      createTestTenant(dbs.admin, { plan: 'enterprise' }).then((t) => ({ ...t, name: `Tenant ${t.slug}` })),
    ]);
    for (const role of TENANT_ROLES) {
      const user = await createTestMember(dbs.admin, own.id, role, { password: PASSWORD });
      callers.push({ label: `${role} (session)`, client: await signedIn(user.email), role });
      callers.push({ label: `${role} (key)`, client: ApiClient.withKey(server.port, (await createTestApiKey(dbs.admin, { tenantId: own.id, role })).key), role });
    }
    const platformUser = await createTestUser(dbs.admin, { platformAdmin: true, password: PASSWORD });
    callers.push({ label: 'platform admin (session)', client: await signedIn(platformUser.email), role: 'platform' });
    callers.push({ label: 'platform key', client: ApiClient.withKey(server.port, (await createTestApiKey(dbs.admin, { platform: true })).key), role: 'platform' });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await dbs.close();
  });

  async function signedIn(email: string): Promise<ApiClient> {
    const client = new ApiClient(server.port);
    const response = await client.signIn(email, PASSWORD);
    if (response.status !== 200) throw new Error(`sign-in failed: ${response.body}`);
    return client;
  }

  test('every role × every action × own site / another site answers as the table says; another site is 404 with none of its data', async () => {
    const calls: (() => Promise<Outcome>)[] = [];
    for (const [action, spec] of Object.entries(PERMISSION_CASES) as [Action, PermissionCase][]) {
      for (const caller of callers) {
        for (const site of spec.onSite ? [own, other] : [own]) {
          const onOther = spec.onSite && site === other;
          const expected = caller.role === 'platform' ? spec.success : onOther ? 404 : can(caller.role, action) ? spec.success : 403;
          calls.push(async () => {
            const request = await spec.request({ admin: dbs.admin, site });
            const response = await caller.client.call(request.method, request.path, { body: request.body });
            const leaked = response.status === 404 && (response.body.includes(other.id) || response.body.includes(other.name));
            const call = `${action}: ${caller.label} on ${onOther ? 'another' : 'own'} site → ${request.method} ${request.path}`;
            return { call, status: response.status, expected, leaked };
          });
        }
      }
    }
    const outcomes = await inBatches(calls, AT_ONCE);
    expect(outcomes.length).toBeGreaterThan(250);
    expect(outcomes.filter((o) => o.status !== o.expected).map((o) => `${o.call}: ${o.status}, expected ${o.expected}`)).toEqual([]);
    expect(outcomes.filter((o) => o.leaked).map((o) => o.call)).toEqual([]);
    // Every kind of answer occurred: the table allows some calls and refuses others.
    for (const status of [200, 201, 204, 403, 404]) expect(outcomes.some((o) => o.status === status), String(status)).toBe(true);
  }, 240_000);
});

async function inBatches<T>(tasks: (() => Promise<T>)[], atOnce: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  };
  await Promise.all(Array.from({ length: atOnce }, worker));
  return results;
}
