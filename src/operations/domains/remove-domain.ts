import { cancelJobsFor } from '../../jobs/job-store.ts';
import { defineOperation } from '../operation.ts';
import { domainInput } from './domain-schemas.ts';
import { asPlatform, domainSubject, lockDomain, routingHostnames } from './domain-store.ts';

/**
 * Removes a domain from the site: it stops routing on every instance as soon as the change notice
 * arrives, its pending checks are cancelled, and the name is free for another site.
 */
export const removeDomain = defineOperation({
  name: 'domain.remove',
  scope: 'tenant',
  action: 'domain.manage',
  mutates: true,
  input: domainInput,
  async run(tx, { hostname }): Promise<{ hostname: string; removed: true }> {
    const row = await lockDomain(tx, hostname);
    const tenantId = tx.tenant!.id;
    const hostnames = await routingHostnames(tx);
    await asPlatform(tx, () => tx.trx.deleteFrom('domains').where('tenant_id', '=', tenantId).where('hostname', '=', hostname).execute());
    const cancelled = await cancelJobsFor(tx.trx, tenantId, domainSubject(hostname));
    await tx.siteChanged('domain.remove', { hostnames });
    await tx.audit({ subject: hostname, before: { hostname, verified: row.verified, primary: row.is_primary }, detail: { cancelledJobs: cancelled } });
    return { hostname, removed: true };
  },
});
