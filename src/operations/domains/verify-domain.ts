import { checkChallenge, type DnsLookup } from '../../domains/dns-challenge.ts';
import { defineOperation, type OperationTx } from '../operation.ts';
import { domainInput, type DomainView } from './domain-schemas.ts';
import { asPlatform, lockDomain, markVerified, scheduleDomainJob, toDomainView } from './domain-store.ts';

/** How a failed verification is retried in the job runner (its backoff spaces the attempts). */
export const VERIFY_RETRY_DELAY_MS = 60_000;
export const VERIFY_MAX_ATTEMPTS = 12;

export function dnsOf(tx: OperationTx): DnsLookup {
  if (!tx.context.dns) throw new Error('Domain verification needs a DNS lookup in its operation context.');
  return tx.context.dns;
}

/**
 * Looks the challenge up now. Found: the domain is verified, routes on every instance once the
 * change reaches them, and is re-checked daily. Not found: the reason is kept and the job runner
 * tries again with a backoff (`retryAt`), so DNS that is still propagating needs no second call.
 */
export const verifyDomain = defineOperation({
  name: 'domain.verify',
  scope: 'tenant',
  action: 'domain.manage',
  mutates: true,
  input: domainInput,
  async run(tx, { hostname }): Promise<DomainView & { retryAt: string | null }> {
    const row = await lockDomain(tx, hostname);
    if (row.verified && !row.broken_since) {
      tx.noChange();
      return { ...toDomainView(tx, row), retryAt: null };
    }
    const result = await checkChallenge(dnsOf(tx), hostname, row.challenge_token ?? '');
    if (result.ok) {
      const verified = await markVerified(tx, hostname);
      await tx.audit({ subject: hostname, before: { verified: row.verified }, after: { verified: true } });
      return { ...toDomainView(tx, verified), retryAt: null };
    }
    const checked = await asPlatform(tx, () =>
      tx.trx
        .updateTable('domains')
        .set({ checked_at: tx.now, last_check_error: result.reason.slice(0, 500) })
        .where('tenant_id', '=', tx.tenant!.id)
        .where('hostname', '=', hostname)
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
    const retryAt = await scheduleDomainJob(tx, 'domain.verify', hostname, new Date(tx.now.getTime() + VERIFY_RETRY_DELAY_MS), VERIFY_MAX_ATTEMPTS);
    await tx.audit({ subject: hostname, detail: { verified: false, reason: result.reason, retryAt } });
    return { ...toDomainView(tx, checked), retryAt };
  },
});
