import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

export interface DomainClaim {
  slug: string;
  hostname: string;
}

export type DomainIssue<C extends DomainClaim = DomainClaim> = C & { message: string };

/**
 * Problems with the hostnames tenants claim: names under the platform domain belong to the
 * platform (`<slug>.<platform>` is how every tenant is reached), and a hostname routes to one
 * tenant only — whether the other claim comes from the same batch or is already stored.
 * `owners` maps stored hostnames to the slug that holds them.
 */
export function domainClaimIssues<C extends DomainClaim>(
  claims: readonly C[],
  rules: { platformDomain: string; owners: ReadonlyMap<string, string> },
): DomainIssue<C>[] {
  const issues: DomainIssue<C>[] = [];
  const platform = rules.platformDomain;
  const firstClaim = new Map<string, string>();
  for (const claim of claims) {
    const { slug, hostname } = claim;
    if (hostname === platform || hostname.endsWith(`.${platform}`)) {
      issues.push({ ...claim, message: `hostname "${hostname}" is under the platform domain "${platform}", whose names belong to the platform` });
      continue;
    }
    const earlier = firstClaim.get(hostname);
    if (earlier !== undefined && earlier !== slug) {
      issues.push({ ...claim, message: `hostname "${hostname}" is also claimed by tenant "${earlier}"` });
      continue;
    }
    if (earlier === slug) {
      issues.push({ ...claim, message: `hostname "${hostname}" is listed twice` });
      continue;
    }
    firstClaim.set(hostname, slug);
    const owner = rules.owners.get(hostname);
    if (owner !== undefined && owner !== slug) issues.push({ ...claim, message: `hostname "${hostname}" belongs to tenant "${owner}"` });
  }
  return issues;
}

/**
 * Which tenant holds each of these hostnames today. Needs the owner connection, which bypasses
 * row-level security; a role that does not sees no rows, and the unique index still refuses.
 */
export async function findDomainOwners(admin: Kysely<Database>, hostnames: readonly string[]): Promise<Map<string, string>> {
  if (hostnames.length === 0) return new Map();
  const rows = await admin
    .selectFrom('domains')
    .innerJoin('tenants', 'tenants.id', 'domains.tenant_id')
    .select(['domains.hostname', 'tenants.slug'])
    .where('domains.hostname', 'in', [...hostnames])
    .execute();
  return new Map(rows.map((r) => [r.hostname, r.slug]));
}
