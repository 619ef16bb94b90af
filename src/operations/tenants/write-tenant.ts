import { sql } from 'kysely';
import { actorUserId } from '../actor.ts';
import { setScope } from '../../db/scope.ts';
import { MosaicError } from '../../errors/catalog.ts';
import { domainClaimIssues, findDomainOwners } from '../../tenants/domain-rules.ts';
import { themeIssues } from '../../theme/resolve-theme.ts';
import type { OperationTx } from '../operation.ts';
import type { ProvisionResult, TenantDefinitionInput } from './tenant-definition.ts';
import { DEFAULT_TRIAL_DAYS } from './tenant-lifecycle.ts';

/**
 * Writes a site from its definition inside a platform operation: the tenant record, its domains
 * (replaced), its theme and its posts (upserted by slug). Everything is checked first — the theme,
 * and the domains: none under the platform domain, none another tenant holds — so a refusal
 * writes nothing. Content tables have no platform policy: they are written in the tenant's own
 * context. Announces the change with every hostname whose routing may have changed, and audits
 * it in the tenant's trail.
 */
export async function writeTenant(tx: OperationTx, tenantId: string, input: TenantDefinitionInput, created: boolean): Promise<ProvisionResult> {
  const { tenant, posts } = input;
  await assertThemeAndDomains(tx, tenant);
  const hostnames = tenant.domains.map((d) => d.hostname);

  const trx = tx.trx;
  await setScope(trx, { tenantId, userId: actorUserId(tx.actor), platform: true });
  const record = { name: tenant.name, status: tenant.status, plan: tenant.plan, settings: JSON.stringify(tenant.settings) };
  const before = created ? undefined : await trx.selectFrom('tenants').select(['name', 'status', 'plan', 'settings']).where('id', '=', tenantId).executeTakeFirstOrThrow();
  // A new trial ends after the default period; a platform admin can move it (setTrial).
  const trialEndsAt = tenant.status === 'trial' ? new Date(tx.now.getTime() + DEFAULT_TRIAL_DAYS * 86_400_000) : null;
  if (created) await trx.insertInto('tenants').values({ id: tenantId, slug: tenant.slug, ...record, trial_ends_at: trialEndsAt }).execute();
  else await trx.updateTable('tenants').set({ ...record, updated_at: sql`now()` }).where('id', '=', tenantId).execute();

  const previous = await trx.deleteFrom('domains').where('tenant_id', '=', tenantId).returning('hostname').execute();
  if (tenant.domains.length) {
    await trx
      .insertInto('domains')
      .values(tenant.domains.map((d) => ({ tenant_id: tenantId, hostname: d.hostname, is_primary: d.primary ?? false, verified: d.verified ?? false })))
      .execute()
      .catch((error: unknown) => {
        throw takenDomainError(error, hostnames) ?? error;
      });
  }
  const theme = { preset: tenant.theme.preset, overrides: JSON.stringify(tenant.theme.overrides), logo_url: tenant.theme.logoUrl ?? null, favicon_url: tenant.theme.faviconUrl ?? null };
  await trx
    .insertInto('themes')
    .values({ tenant_id: tenantId, ...theme })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ ...theme, revision: sql`themes.revision + 1`, updated_at: sql`now()` }))
    .execute();
  for (const post of posts) {
    const values = { title: post.title, excerpt: post.excerpt, body: post.body, author: post.author, published_at: post.publishedAt, updated_at: tx.now };
    await trx
      .insertInto('posts')
      .values({ tenant_id: tenantId, slug: post.slug, ...values })
      .onConflict((oc) => oc.columns(['tenant_id', 'slug']).doUpdateSet(values))
      .execute();
  }
  const routing = [...new Set([...previous.map((d) => d.hostname), ...hostnames])];
  const siteVersion = await tx.siteChanged('provision', { tenantId, hostnames: routing });
  await tx.audit({
    tenantId,
    subject: tenant.slug,
    before: before && { ...before, domains: previous.map((d) => d.hostname).sort() },
    after: { name: tenant.name, status: tenant.status, plan: tenant.plan, settings: tenant.settings, domains: [...hostnames].sort() },
    detail: { created, theme: tenant.theme.preset, posts: posts.length },
  });
  return { tenantId, slug: tenant.slug, created, siteVersion, hostnames: routing };
}

/**
 * Refuses a site whose theme does not resolve (`InvalidInput`) or whose domains it may not have
 * (`DomainUnavailable`): none under the platform domain, none another tenant holds.
 */
export async function assertThemeAndDomains(
  tx: OperationTx,
  tenant: { slug: string; theme: { preset: string; overrides: unknown }; domains: readonly { hostname: string }[] },
): Promise<void> {
  const platformDomain = tx.context.platformDomain;
  if (!platformDomain) throw new Error('Provisioning needs the platform domain in its operation context.');
  const themeProblems = themeIssues(tenant.theme.preset, tenant.theme.overrides).map((i) => ({ path: `tenant.theme.${i.path}`, message: i.message }));
  if (themeProblems.length) throw new MosaicError('InvalidInput', `Tenant "${tenant.slug}" is not valid`, themeProblems);
  const hostnames = tenant.domains.map((d) => d.hostname);
  // Platform scope sees every tenant's domains.
  const issues = domainClaimIssues(
    hostnames.map((hostname) => ({ slug: tenant.slug, hostname })),
    { platformDomain, owners: await findDomainOwners(tx.trx, hostnames) },
  );
  if (issues.length) {
    throw new MosaicError('DomainUnavailable', `Tenant "${tenant.slug}" cannot use these domains`, issues.map((i) => ({ path: i.hostname, message: i.message })));
  }
}

/**
 * A claim that raced past the check meets the unique index. Row-level security hides the key
 * from the app role (no `detail`), so the caller says which hostnames it was claiming: one of
 * them is the taken one.
 */
export function takenDomainError(error: unknown, claimed: readonly string[] = []): MosaicError | null {
  const pgError = error as { code?: string; constraint?: string; detail?: string };
  if (pgError.code !== '23505' || pgError.constraint !== 'domains_hostname_key') return null;
  const named = /\(hostname\)=\(([^)]*)\)/.exec(pgError.detail ?? '')?.[1] ?? (claimed.length === 1 ? claimed[0] : undefined);
  if (named) return new MosaicError('DomainUnavailable', undefined, [{ path: named, message: `hostname "${named}" belongs to another tenant` }]);
  const which = claimed.length ? `one of ${claimed.map((h) => `"${h}"`).join(', ')}` : 'a hostname';
  return new MosaicError('DomainUnavailable', undefined, [{ path: 'domains', message: `${which} belongs to another tenant` }]);
}
