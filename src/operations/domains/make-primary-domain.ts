import { MosaicError } from '../../errors/catalog.ts';
import { defineOperation } from '../operation.ts';
import { domainInput, type DomainView } from './domain-schemas.ts';
import { asPlatform, listDomainRows, lockDomain, routingHostnames, toDomainView } from './domain-store.ts';

/**
 * Makes a verified domain the site's canonical address: its other hosts redirect there. Every
 * instance drops its lookups of the site's hosts as soon as the change notice arrives.
 */
export const makePrimaryDomain = defineOperation({
  name: 'domain.make-primary',
  scope: 'tenant',
  action: 'domain.manage',
  mutates: true,
  input: domainInput,
  async run(tx, { hostname }): Promise<DomainView> {
    const row = await lockDomain(tx, hostname);
    if (!row.verified) throw new MosaicError('Conflict', `"${hostname}" is not verified yet; verify it before making it primary.`);
    if (row.is_primary) {
      tx.noChange();
      return toDomainView(tx, row);
    }
    const before = (await listDomainRows(tx)).find((d) => d.is_primary)?.hostname ?? null;
    const tenantId = tx.tenant!.id;
    await asPlatform(tx, async () => {
      // One primary per site (a unique index): the old one steps down first.
      await tx.trx.updateTable('domains').set({ is_primary: false }).where('tenant_id', '=', tenantId).where('is_primary', '=', true).execute();
      await tx.trx.updateTable('domains').set({ is_primary: true }).where('tenant_id', '=', tenantId).where('hostname', '=', hostname).execute();
    });
    await tx.siteChanged('domain.make-primary', { hostnames: await routingHostnames(tx) });
    await tx.audit({ subject: hostname, before: { primary: before }, after: { primary: hostname } });
    return toDomainView(tx, { ...row, is_primary: true });
  },
});
