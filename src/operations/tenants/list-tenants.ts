import { sql } from 'kysely';
import { z } from 'zod';
import { defineOperation } from '../operation.ts';

export interface TenantSummary {
  id: string;
  slug: string;
  name: string;
  status: string;
  /** The actor's role on it; `platform-admin` for platform actors. */
  role: string;
}

/** The sites the signed-in user is a member of. */
export const listMyTenants = defineOperation({
  name: 'tenant.list-mine',
  scope: 'self',
  action: null,
  mutates: false,
  input: z.object({}),
  async run({ trx, actor }): Promise<TenantSummary[]> {
    if (actor.kind !== 'user') return [];
    const { rows } = await sql<{ tenant_id: string; slug: string; name: string; status: string; role: string }>`
      SELECT * FROM mosaic_user_tenants(${actor.userId})
    `.execute(trx);
    return rows.map((r) => ({ id: r.tenant_id, slug: r.slug, name: r.name, status: r.status, role: r.role }));
  },
});

/** Every site on the platform, for platform admins. */
export const listAllTenants = defineOperation({
  name: 'platform.tenant.list',
  scope: 'platform',
  action: 'platform.tenant.list',
  mutates: false,
  input: z.object({}),
  async run({ trx }): Promise<TenantSummary[]> {
    const rows = await trx.selectFrom('tenants').select(['id', 'slug', 'name', 'status']).orderBy('slug').execute();
    return rows.map((r) => ({ ...r, role: 'platform-admin' }));
  },
});
