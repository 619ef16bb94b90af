import { sql } from 'kysely';
import { z } from 'zod';
import { MosaicError } from '../../errors/catalog.ts';
import { defineOperation } from '../operation.ts';

export type MeView =
  | {
      kind: 'user';
      id: string;
      email: string;
      name: string;
      platformAdmin: boolean;
      memberships: { tenantId: string; slug: string; name: string; status: string; role: string }[];
    }
  | { kind: 'api-key'; keyId: string; prefix: string; scope: 'tenant' | 'platform'; tenantId: string | null; role: string | null }
  | { kind: 'system' | 'cli'; name: string };

/** Who the caller is: their account, platform role and sites — or, for a key, its grant. */
export const readMe = defineOperation({
  name: 'me.read',
  scope: 'self',
  action: null,
  mutates: false,
  input: z.strictObject({}),
  async run({ trx, actor }): Promise<MeView> {
    switch (actor.kind) {
      case 'api-key': {
        const { grant } = actor;
        return grant.scope === 'tenant'
          ? { kind: 'api-key', keyId: actor.keyId, prefix: `mk_${actor.label}`, scope: 'tenant', tenantId: grant.tenantId, role: grant.role }
          : { kind: 'api-key', keyId: actor.keyId, prefix: `mk_${actor.label}`, scope: 'platform', tenantId: null, role: null };
      }
      case 'system':
      case 'cli':
        return { kind: actor.kind, name: actor.name };
      case 'user': {
        const user = await trx.selectFrom('users').select(['id', 'email', 'name', 'platform_role']).where('id', '=', actor.userId).executeTakeFirst();
        if (!user) throw new MosaicError('Unauthorized');
        const { rows } = await sql<{ tenant_id: string; slug: string; name: string; status: string; role: string }>`
          SELECT * FROM mosaic_user_tenants(${actor.userId})
        `.execute(trx);
        return {
          kind: 'user',
          id: user.id,
          email: user.email,
          name: user.name,
          platformAdmin: user.platform_role === 'admin',
          memberships: rows.map((r) => ({ tenantId: r.tenant_id, slug: r.slug, name: r.name, status: r.status, role: r.role })),
        };
      }
    }
  },
});
