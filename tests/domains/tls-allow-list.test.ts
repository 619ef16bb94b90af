import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { withScope } from '../../src/db/scope.ts';
import { createTlsAllowList } from '../../src/domains/tls-allow-list.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';

const name = (label: string) => `${label}-${randomBytes(3).toString('hex')}.example`;
type Plan = 'free' | 'starter' | 'pro' | 'enterprise';
type Status = 'trial' | 'active' | 'suspended' | 'cancelled';

describe('the on-demand TLS allow-list, loaded as the app role', () => {
  const dbs = openTestDatabases(2);
  const hosts: Record<string, string> = {};
  const sites: Record<string, { id: string; slug: string }> = {};
  const site = async (key: string, plan: Plan, status: Status, verified = true) => {
    hosts[key] = name(key);
    sites[key] = await createTestTenant(dbs.admin, { plan, status, domains: [{ hostname: hosts[key], primary: true, verified }] });
  };

  beforeAll(async () => {
    await site('active', 'pro', 'active');
    await site('trial', 'starter', 'trial');
    await site('unverified', 'pro', 'active', false);
    await site('suspended', 'pro', 'suspended');
    await site('cancelled', 'pro', 'cancelled');
    await site('free', 'free', 'active');
  });
  afterAll(() => dbs.close());

  test('yes for verified domains of active or trial sites whose plan has custom domains; no otherwise', async () => {
    const list = createTlsAllowList(dbs.app);
    await list.load();
    expect(list.allows(hosts.active!)).toBe(true);
    expect(list.allows(hosts.trial!)).toBe(true);
    for (const key of ['unverified', 'suspended', 'cancelled', 'free']) expect(list.allows(hosts[key]!), key).toBe(false);
    expect(list.allows('unknown.example')).toBe(false);
    expect(list.allows(`${sites.active!.slug}.localhost`)).toBe(false);
  });

  test('a per-site refresh follows a plan that gains the feature, a suspension and a removed domain', async () => {
    const list = createTlsAllowList(dbs.app);
    await list.load();
    const free = sites.free!;
    await dbs.admin.updateTable('tenants').set({ plan_overrides: JSON.stringify({ features: { customDomains: true } }) }).where('id', '=', free.id).execute();
    expect(list.allows(hosts.free!)).toBe(false);
    await list.refreshTenant(free.id);
    expect(list.allows(hosts.free!)).toBe(true);

    const active = sites.active!;
    await withScope(dbs.admin, { platform: true }, (trx) => trx.updateTable('tenants').set({ status: 'suspended' }).where('id', '=', active.id).execute());
    await list.refreshTenant(active.id);
    expect(list.allows(hosts.active!)).toBe(false);

    const trial = sites.trial!;
    await dbs.admin.deleteFrom('domains').where('tenant_id', '=', trial.id).execute();
    await list.refreshTenant(trial.id);
    expect(list.allows(hosts.trial!)).toBe(false);
    // Another site's entries are untouched by a refresh of this one.
    expect(list.allows(hosts.free!)).toBe(true);
  });
});
