import { sql, type Kysely } from 'kysely';
import type { Database, TenantPlan, TenantStatus } from '../db/schema.ts';
import { resolvePlan } from '../plans/resolve-plan.ts';

/**
 * The hostnames that may get a certificate (Caddy's on-demand TLS `ask`), held in memory so an
 * ask is a set lookup: verified domains of active or trial sites whose plan includes custom
 * domains. Loaded at start, refreshed per site on every change notice, and in full after a gap
 * in the notices and now and then.
 */
export interface TlsAllowList {
  allows(hostname: string): boolean;
  /** Reloads every site's domains. */
  load(): Promise<void>;
  /** Reloads one site's domains (a change notice named it). */
  refreshTenant(tenantId: string): Promise<void>;
  readonly size: number;
}

interface TlsDomainRow {
  hostname: string;
  tenant_id: string;
  status: TenantStatus;
  plan: TenantPlan;
  plan_overrides: unknown;
}

const eligible = (row: TlsDomainRow): boolean =>
  (row.status === 'active' || row.status === 'trial') && resolvePlan(row.plan, row.plan_overrides).features.customDomains;

/** `db`: the app role; `mosaic_tls_domains` is the one door to domains across sites. */
export function createTlsAllowList(db: Kysely<Database>): TlsAllowList {
  let owners = new Map<string, string>();
  // A refresh that started before a newer one for the same site must not overwrite it.
  let generation = 0;
  const latest = new Map<string, number>();

  async function query(tenantId: string | null): Promise<TlsDomainRow[]> {
    const { rows } = await sql<TlsDomainRow>`SELECT * FROM mosaic_tls_domains(${tenantId}::uuid)`.execute(db);
    return rows;
  }

  return {
    allows: (hostname) => owners.has(hostname),
    get size() {
      return owners.size;
    },
    async load() {
      const started = ++generation;
      const rows = await query(null);
      const next = new Map(rows.filter(eligible).map((r) => [r.hostname, r.tenant_id]));
      // Sites refreshed while this load ran keep what their own (newer) refresh found.
      for (const [tenantId, at] of latest) {
        if (at <= started) continue;
        for (const [hostname, owner] of next) if (owner === tenantId) next.delete(hostname);
        for (const [hostname, owner] of owners) if (owner === tenantId) next.set(hostname, owner);
      }
      owners = next;
    },
    async refreshTenant(tenantId) {
      const started = ++generation;
      latest.set(tenantId, started);
      const rows = await query(tenantId);
      if (latest.get(tenantId) !== started) return;
      for (const [hostname, owner] of owners) if (owner === tenantId) owners.delete(hostname);
      for (const row of rows.filter(eligible)) owners.set(row.hostname, tenantId);
    },
  };
}
