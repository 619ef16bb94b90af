import { setScope } from '../../db/scope.ts';
import { MosaicError } from '../../errors/catalog.ts';
import { enqueueJob, jobsFor } from '../../jobs/job-store.ts';
import { resolvePlan, type ResolvedPlan } from '../../plans/resolve-plan.ts';
import { challengeName } from '../../domains/dns-challenge.ts';
import { actorUserId } from '../actor.ts';
import type { OperationTx } from '../operation.ts';
import type { DomainView } from './domain-schemas.ts';

const COLUMNS = ['hostname', 'is_primary', 'verified', 'verified_at', 'checked_at', 'broken_since', 'last_check_error', 'challenge_token'] as const;

export interface DomainRow {
  hostname: string;
  is_primary: boolean;
  verified: boolean;
  verified_at: Date | null;
  checked_at: Date | null;
  broken_since: Date | null;
  last_check_error: string | null;
  challenge_token: string | null;
}

/** Jobs about one domain share this subject. */
export const domainSubject = (hostname: string): string => `domain:${hostname}`;

export function platformDomainOf(tx: OperationTx): string {
  const platformDomain = tx.context.platformDomain;
  if (!platformDomain) throw new Error('Domain operations need the platform domain in their operation context.');
  return platformDomain;
}

export function toDomainView(tx: OperationTx, row: DomainRow): DomainView {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  const records: DomainView['records'] = [];
  if (row.challenge_token) records.push({ type: 'TXT', name: challengeName(row.hostname), value: row.challenge_token });
  records.push({ type: 'CNAME', name: row.hostname, value: `${tx.tenant!.slug}.${platformDomainOf(tx)}` });
  return {
    hostname: row.hostname,
    primary: row.is_primary,
    verified: row.verified,
    verifiedAt: iso(row.verified_at),
    checkedAt: iso(row.checked_at),
    brokenSince: iso(row.broken_since),
    lastCheckError: row.last_check_error,
    records,
  };
}

export function listDomainRows(tx: OperationTx): Promise<DomainRow[]> {
  return tx.trx.selectFrom('domains').select(COLUMNS).where('tenant_id', '=', tx.tenant!.id).orderBy('hostname').execute();
}

/**
 * One of this site's domains, locked for the rest of the transaction (a lock is a write as far as
 * row-level security goes, hence platform scope); undefined when the site has no such domain.
 */
export function findDomainForUpdate(tx: OperationTx, hostname: string): Promise<DomainRow | undefined> {
  return asPlatform(tx, () => tx.trx.selectFrom('domains').select(COLUMNS).where('tenant_id', '=', tx.tenant!.id).where('hostname', '=', hostname).forUpdate().executeTakeFirst());
}

/** As `findDomainForUpdate`, refusing (`NotFound`) a domain the site does not have. */
export async function lockDomain(tx: OperationTx, hostname: string): Promise<DomainRow> {
  const row = await findDomainForUpdate(tx, hostname);
  if (!row) throw new MosaicError('NotFound', `This site has no domain "${hostname}".`);
  return row;
}

/**
 * Runs `work` with platform scope on: domains are written only there (a restrictive policy), so a
 * tenant-scoped query cannot slip a hostname onto its own site. Domain operations enter it after
 * their own checks, for their writes only, and leave it again.
 */
export async function asPlatform<T>(tx: OperationTx, work: () => Promise<T>): Promise<T> {
  const tenantId = tx.tenant!.id;
  const userId = actorUserId(tx.actor);
  await setScope(tx.trx, { tenantId, userId, platform: true });
  try {
    return await work();
  } finally {
    await setScope(tx.trx, { tenantId, userId, platform: false }).catch(() => undefined);
  }
}

export async function planOf(tx: OperationTx): Promise<ResolvedPlan> {
  const row = await tx.trx.selectFrom('tenants').select(['plan', 'plan_overrides']).where('id', '=', tx.tenant!.id).executeTakeFirstOrThrow();
  return resolvePlan(row.plan, row.plan_overrides);
}

/**
 * Every host whose lookup may change when this site's domains do: its domains (they redirect to
 * the primary) and its platform address. A handful; each instance drops exactly these keys.
 */
export async function routingHostnames(tx: OperationTx, extra: readonly string[] = []): Promise<string[]> {
  const rows = await tx.trx.selectFrom('domains').select('hostname').where('tenant_id', '=', tx.tenant!.id).execute();
  return [...new Set([...rows.map((r) => r.hostname), ...extra, `${tx.tenant!.slug}.${platformDomainOf(tx)}`])];
}

/** Verified now: the domain routes (and may get a certificate) once the change reaches the instances. */
export async function markVerified(tx: OperationTx, hostname: string): Promise<DomainRow> {
  const row = await asPlatform(tx, () =>
    tx.trx
      .updateTable('domains')
      .set({ verified: true, verified_at: tx.now, checked_at: tx.now, broken_since: null, last_check_error: null })
      .where('tenant_id', '=', tx.tenant!.id)
      .where('hostname', '=', hostname)
      .returning(COLUMNS)
      .executeTakeFirstOrThrow(),
  );
  await tx.siteChanged('domain.verify', { hostnames: await routingHostnames(tx) });
  await scheduleDomainJob(tx, 'domain.recheck', hostname, new Date(tx.now.getTime() + DOMAIN_RECHECK_MS), 5);
  return row;
}

/** How often a verified domain's challenge is looked up again. */
export const DOMAIN_RECHECK_MS = 24 * 3_600_000;

/** Adds a job about a domain unless one of that kind is already waiting. */
export async function scheduleDomainJob(tx: OperationTx, kind: 'domain.verify' | 'domain.recheck', hostname: string, runAt: Date, maxAttempts: number): Promise<string> {
  const tenantId = tx.tenant!.id;
  const waiting = (await jobsFor(tx.trx, tenantId, domainSubject(hostname))).find((job) => job.kind === kind && job.status === 'pending');
  if (waiting) return waiting.runAt;
  const job = await enqueueJob(tx.trx, tenantId, { kind, subject: domainSubject(hostname), payload: { hostname }, runAt, createdBy: tx.actor, maxAttempts });
  return job.runAt;
}
