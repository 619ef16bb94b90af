import type { TenantRecord } from '../../src/site/site-types.ts';

/** An active tenant record at site version 1, for unit tests that need no database. */
export const tenantRecord = (overrides: Partial<TenantRecord> = {}): TenantRecord => ({
  id: '00000000-0000-4000-8000-000000000001',
  slug: 'acme',
  name: 'Acme',
  status: 'active',
  plan: 'starter',
  planOverrides: {},
  settings: {},
  siteVersion: 1,
  primaryHostname: null,
  ...overrides,
});
