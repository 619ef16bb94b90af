import { z } from 'zod';
import { checkChallenge } from '../../domains/dns-challenge.ts';
import { defineJobKind } from '../../jobs/job-kind.ts';
import type { OperationTx } from '../operation.ts';
import { hostnameSchema } from './domain-schemas.ts';
import { asPlatform, DOMAIN_RECHECK_MS, findDomainForUpdate, markVerified, scheduleDomainJob } from './domain-store.ts';
import { dnsOf } from './verify-domain.ts';

const payload = z.strictObject({ hostname: hostnameSchema });

/**
 * A verification that did not find its record, tried again by the job runner: a run that still
 * finds nothing throws, so the runner retries it with its backoff until the attempts run out.
 */
export const domainVerifyJob = defineJobKind({
  kind: 'domain.verify',
  action: 'domain.manage',
  payload,
  maxAttempts: 12,
  async run(tx, { hostname }) {
    const row = await findDomainForUpdate(tx, hostname);
    if (!row || row.verified) return tx.noChange();
    const result = await checkChallenge(dnsOf(tx), hostname, row.challenge_token ?? '');
    if (!result.ok) throw new Error(result.reason);
    await markVerified(tx, hostname);
    await tx.audit({ subject: hostname, before: { verified: false }, after: { verified: true } });
  },
});

/**
 * The daily look at a verified domain's record. Gone: the domain is marked broken and the site's
 * owners are told (logged, and mailed when SMTP is set); it keeps routing, since a record deleted
 * by mistake should not take a live site down. Back: the mark is cleared. A lookup that fails
 * (a resolver down) proves nothing either way: the runner retries it.
 */
export const domainRecheckJob = defineJobKind({
  kind: 'domain.recheck',
  action: 'domain.manage',
  payload,
  maxAttempts: 5,
  async run(tx, { hostname }) {
    const row = await findDomainForUpdate(tx, hostname);
    if (!row || !row.verified) return tx.noChange();
    const result = await checkChallenge(dnsOf(tx), hostname, row.challenge_token ?? '');
    if (!result.ok && result.lookupFailed) throw new Error(result.reason);
    const brokenSince = result.ok ? null : (row.broken_since ?? tx.now);
    await asPlatform(tx, () =>
      tx.trx
        .updateTable('domains')
        .set({ checked_at: tx.now, broken_since: brokenSince, last_check_error: result.ok ? null : result.reason.slice(0, 500) })
        .where('tenant_id', '=', tx.tenant!.id)
        .where('hostname', '=', hostname)
        .execute(),
    );
    await scheduleDomainJob(tx, 'domain.recheck', hostname, new Date(tx.now.getTime() + DOMAIN_RECHECK_MS), 5);
    const broke = !result.ok && !row.broken_since;
    await tx.audit({ subject: hostname, before: { broken: row.broken_since !== null }, after: { broken: brokenSince !== null }, detail: result.ok ? {} : { reason: result.reason } });
    if (broke) await tellOwners(tx, hostname, result.reason);
  },
});

/** Logged always; mailed to each owner when a mailer is configured. A mail that fails is logged, not retried. */
async function tellOwners(tx: OperationTx, hostname: string, reason: string): Promise<void> {
  const owners = await tx.trx
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select('users.email')
    .where('memberships.tenant_id', '=', tx.tenant!.id)
    .where('memberships.role', '=', 'owner')
    .execute();
  const to = owners.map((o) => o.email);
  tx.context.logger.warn({ tenant: tx.tenant!.slug, hostname, reason, owners: to }, 'custom domain no longer verifies');
  const mailer = tx.context.mailer;
  if (!mailer) return;
  const text = [
    `The custom domain ${hostname} of your site "${tx.tenant!.slug}" no longer verifies: ${reason}.`,
    'It still serves your site for now. Put the TXT record back (see the domain in your site settings) and verify it again.',
  ].join('\n\n');
  for (const address of to) {
    await mailer.send({ to: address, subject: `${hostname} no longer verifies`, text }).catch((error: unknown) =>
      tx.context.logger.warn({ to: address, err: error instanceof Error ? error.message : String(error) }, 'domain notice not mailed'),
    );
  }
}
