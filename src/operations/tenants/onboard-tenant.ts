import { z } from 'zod';
import { emailSchema } from '../../auth/account-schemas.ts';
import { isMosaicError, MosaicError, type ErrorDetail } from '../../errors/catalog.ts';
import { assertFeature, assertWithinLimit, resolvePlan, sectionAllowed, type ResolvedPlan } from '../../plans/resolve-plan.ts';
import { PLAN_NAMES } from '../../plans/plan-schema.ts';
import type { Blueprint } from '../../tenants/blueprints.ts';
import { domainClaimIssues, findDomainOwners } from '../../tenants/domain-rules.ts';
import { tenantFileSchema, tenantSlugSchema, type TenantFile } from '../../tenants/tenant-file.ts';
import { themeIssues } from '../../theme/resolve-theme.ts';
import { setScope } from '../../db/scope.ts';
import { newChallengeToken } from '../../domains/dns-challenge.ts';
import { hostnameSchema, type DnsRecord } from '../domains/domain-schemas.ts';
import { platformDomainOf, toDomainView } from '../domains/domain-store.ts';
import { listDomains } from '../domains/list-domains.ts';
import { execute, type JoinedTransaction } from '../execute.ts';
import { inviteMember } from '../invitations/invite-member.ts';
import { actorUserId } from '../actor.ts';
import { defineOperation, type OperationTx } from '../operation.ts';
import { cachedBlueprint } from './blueprint-cache.ts';
import { createSite } from './create-tenant.ts';
import { takenDomainError } from './write-tenant.ts';

/** One client site as bulk onboarding takes it (a row of the CSV). */
export const onboardRowInput = z.strictObject({
  slug: tenantSlugSchema,
  name: tenantFileSchema.shape.name,
  /** A blueprint (blueprints/) or demo site (tenants/); none: an empty site. */
  blueprint: z.string().min(1).max(100).nullable().default(null),
  /** Default: the blueprint's, else starter. */
  plan: z.enum(PLAN_NAMES).nullable().default(null),
  status: z.enum(['trial', 'active']).default('trial'),
  /** Added unverified, each with its challenge TXT record. */
  domains: z.array(hostnameSchema).max(20).default([]),
  /** Invited as the site's owner. */
  ownerEmail: emailSchema.nullable().default(null),
  /** Merged over the blueprint's theme: another preset, and token overrides. */
  theme: z
    .strictObject({ preset: z.string().min(1).max(40).nullable().default(null), overrides: z.record(z.string(), z.unknown()).default({}) })
    .default({ preset: null, overrides: {} }),
});

export const onboardInput = onboardRowInput.extend({
  /** Check everything and change nothing. */
  dryRun: z.boolean().default(false),
});

export type OnboardRow = z.input<typeof onboardRowInput>;

export interface OnboardResult {
  slug: string;
  /** `created` now, `existed` already (same name, plan and domains), `valid` on a dry run. */
  outcome: 'created' | 'existed' | 'valid';
  tenantId: string | null;
  plan: string;
  blueprint: string | null;
  pages: string[];
  domains: { hostname: string; verified: boolean; records: DnsRecord[] }[];
  /** The owner's invitation; `link` only when no mailer is configured (then it is the only copy). */
  invitation: { email: string; expiresAt: string; link: string | null } | null;
}

type Row = z.output<typeof onboardRowInput>;

const detailsOf = (error: unknown, path: string): ErrorDetail[] => {
  if (!isMosaicError(error)) throw error;
  const under = (at: string) => (at === path || at.startsWith(`${path}.`) ? at : `${path}.${at}`);
  return error.details.length ? error.details.map((d) => ({ path: under(d.path), message: d.message })) : [{ path, message: error.message }];
};

/** Every problem with the plan the row asks for: custom domains, their number, the blueprint's pages and sections. */
function planIssues(plan: ResolvedPlan, row: Row, blueprint: Blueprint | null): ErrorDetail[] {
  const issues: ErrorDetail[] = [];
  const attempt = (path: string, check: () => void) => {
    try {
      check();
    } catch (error) {
      issues.push(...detailsOf(error, path));
    }
  };
  if (row.domains.length) {
    // A plan without the feature has a limit of 0 too: one message says it.
    attempt('domains', () => {
      assertFeature(plan, 'customDomains');
      assertWithinLimit(plan, 'customDomains', row.domains.length);
    });
  }
  if (!blueprint) return issues;
  attempt('blueprint', () => assertWithinLimit(plan, 'pages', blueprint.pages.length));
  attempt('blueprint', () => assertWithinLimit(plan, 'posts', blueprint.posts.length));
  const types = new Set(blueprint.pages.flatMap((page) => ((page as { sections?: { type?: unknown }[] }).sections ?? []).map((s) => String(s.type))));
  for (const type of [...types].sort()) {
    if (!sectionAllowed(plan, type)) issues.push({ path: 'blueprint', message: `its "${type}" section is not in the ${plan.label} plan` });
  }
  return issues;
}

interface Checked {
  plan: ResolvedPlan;
  blueprint: Blueprint | null;
  theme: TenantFile['theme'];
  /** The site holding this slug when it matches the row. */
  existing: { id: string } | null;
}

/**
 * Checks a row against the platform as it is: the blueprint, the plan, the theme, the slug (free,
 * or held by a site with the same name, plan and domains: then it already exists) and the domains
 * (free, not the platform's). Throws `Conflict` for a slug held otherwise, `InvalidInput` listing
 * every other problem.
 */
async function check(tx: OperationTx, row: Row): Promise<Checked> {
  const issues: ErrorDetail[] = [];
  let blueprint: Blueprint | null = null;
  if (row.blueprint) {
    blueprint = await cachedBlueprint(row.blueprint, tx.context.registry).catch((error: unknown) => {
      issues.push(...detailsOf(error, 'blueprint').map((d) => ({ ...d, message: d.message === 'no such blueprint' ? `no blueprint is called "${row.blueprint}"` : d.message })));
      return null;
    });
  }
  const planName = row.plan ?? blueprint?.plan ?? 'starter';
  const plan = resolvePlan(planName, {});
  const base = blueprint?.theme ?? { preset: 'ocean', overrides: {} };
  const theme = { ...base, preset: row.theme.preset ?? base.preset, overrides: mergeObjects(base.overrides, row.theme.overrides) };

  const found = await tx.trx.selectFrom('tenants').select(['id', 'name', 'plan', 'deleted_at']).where('slug', '=', row.slug).executeTakeFirst();
  if (found) {
    const held = await tx.trx.selectFrom('domains').select('hostname').where('tenant_id', '=', found.id).execute();
    const hostnames = new Set(held.map((d) => d.hostname));
    const differences = [
      ...(found.deleted_at ? [{ path: 'slug', message: 'a deleted site holds this slug' }] : []),
      ...(found.name !== row.name ? [{ path: 'name', message: `the existing site is called "${found.name}"` }] : []),
      ...(found.plan !== planName ? [{ path: 'plan', message: `the existing site is on the ${found.plan} plan` }] : []),
      ...row.domains.filter((h) => !hostnames.has(h)).map((h) => ({ path: 'domains', message: `the existing site does not have "${h}"` })),
    ];
    if (differences.length) throw new MosaicError('Conflict', `A different site has the slug "${row.slug}".`, differences);
    return { plan, blueprint, theme, existing: { id: found.id } };
  }

  issues.push(...themeIssues(theme.preset, theme.overrides).map((i) => ({ path: `theme.${i.path}`, message: i.message })));
  issues.push(...planIssues(plan, row, blueprint));
  const owners = await findDomainOwners(tx.trx, row.domains);
  const claims = domainClaimIssues(row.domains.map((hostname) => ({ slug: row.slug, hostname })), { platformDomain: platformDomainOf(tx), owners });
  issues.push(...claims.map((i) => ({ path: 'domains', message: i.message })));
  if (issues.length) throw new MosaicError('InvalidInput', `Site "${row.slug}" cannot be onboarded.`, issues);
  return { plan, blueprint, theme, existing: null };
}

/** The row's overrides over the blueprint's, one level deep (`colors.primary` keeps the other colours). */
function mergeObjects(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  for (const [key, value] of Object.entries(over)) merged[key] = isObject(value) && isObject(base[key]) ? { ...base[key], ...value } : value;
  return merged;
}

/**
 * One client site from one row, in one transaction: the site from its blueprint with the theme
 * overrides, its domains (unverified, each with its TXT record) and its owner's invitation — a
 * refusal anywhere leaves nothing. Idempotent: a site already made from the same row is reported
 * as `existed` and left alone. `dryRun` checks everything and writes nothing.
 */
export const onboardTenant = defineOperation({
  name: 'platform.tenant.onboard',
  scope: 'platform',
  action: 'platform.tenant.create',
  mutates: true,
  input: onboardInput,
  async run(tx, { dryRun, ...row }): Promise<OnboardResult> {
    const checked = await check(tx, row);
    const base = { slug: row.slug, plan: checked.plan.name, blueprint: checked.blueprint?.name ?? null };
    // Later steps join this transaction: the row is written whole or not at all.
    const joined: JoinedTransaction = { trx: tx.trx, pendingChanges: [] };
    if (checked.existing) {
      tx.noChange();
      const domains = await execute(tx.context, listDomains, { tenant: { id: checked.existing.id } }, joined);
      const pages = await tx.trx.selectFrom('pages').select('path').where('tenant_id', '=', checked.existing.id).where('deleted_at', 'is', null).orderBy('path').execute();
      return { ...base, outcome: 'existed', tenantId: checked.existing.id, pages: pages.map((p) => p.path), domains: domains.map(domainOf), invitation: null };
    }
    if (dryRun) {
      tx.noChange();
      const pages = (checked.blueprint?.pages ?? []).map((p) => String((p as { path?: unknown }).path));
      return { ...base, outcome: 'valid', tenantId: null, pages, domains: row.domains.map((hostname) => ({ hostname, verified: false, records: [] })), invitation: null };
    }
    const tenant: TenantFile = {
      slug: row.slug,
      name: row.name,
      status: row.status,
      plan: checked.plan.name,
      settings: checked.blueprint?.settings ?? {},
      domains: [],
      theme: checked.theme,
    };
    const created = await createSite(tx, { tenant, posts: checked.blueprint?.posts ?? [], pages: checked.blueprint?.pages ?? [] });
    const site = { id: created.tenantId };
    const domains = await addDomains(tx, { id: created.tenantId, slug: row.slug, plan: checked.plan.name }, row.domains);
    const invited = row.ownerEmail ? await execute(tx.context, inviteMember, { tenant: site, input: { email: row.ownerEmail, role: 'owner' } }, joined) : null;
    const invitation = invited && { email: invited.invitation.email, expiresAt: invited.invitation.expiresAt, link: invited.link };
    return { ...base, outcome: 'created', tenantId: created.tenantId, pages: created.pages, domains, invitation };
  },
});

/**
 * The row's domains, checked above (free, not the platform's, within the plan), in one insert
 * instead of one `domain.add` each: the figure that matters when hundreds of sites come at once.
 * Unverified, with a fresh challenge token each; audited in the site's trail like `domain.add`.
 */
async function addDomains(tx: OperationTx, site: { id: string; slug: string; plan: TenantFile['plan'] }, hostnames: readonly string[]) {
  if (hostnames.length === 0) return [];
  // Domains are written in platform scope only (a restrictive policy); the pages left the tenant's.
  await setScope(tx.trx, { tenantId: site.id, userId: actorUserId(tx.actor), platform: true });
  const rows = await tx.trx
    .insertInto('domains')
    .values(hostnames.map((hostname) => ({ tenant_id: site.id, hostname, is_primary: false, verified: false, challenge_token: newChallengeToken() })))
    .returning(['hostname', 'is_primary', 'verified', 'verified_at', 'checked_at', 'broken_since', 'last_check_error', 'challenge_token'])
    .execute()
    .catch((error: unknown) => {
      throw takenDomainError(error, hostnames) ?? error;
    });
  for (const hostname of hostnames) await tx.audit({ tenantId: site.id, subject: hostname, after: { hostname, verified: false } });
  const onSite: OperationTx = { ...tx, tenant: { id: site.id, slug: site.slug, status: 'trial', plan: site.plan } };
  return rows.map((row) => domainOf(toDomainView(onSite, row)));
}

const domainOf = (d: { hostname: string; verified: boolean; records: DnsRecord[] }) => ({ hostname: d.hostname, verified: d.verified, records: d.records });
