import { MosaicError } from '../../errors/catalog.ts';
import { newChallengeToken } from '../../domains/dns-challenge.ts';
import { assertFeature, assertWithinLimit } from '../../plans/resolve-plan.ts';
import { domainClaimIssues, findDomainOwners } from '../../tenants/domain-rules.ts';
import { defineOperation } from '../operation.ts';
import { domainInput, type DomainView } from './domain-schemas.ts';
import { asPlatform, listDomainRows, planOf, platformDomainOf, toDomainView } from './domain-store.ts';

/**
 * Records a hostname for the site, unverified (it does not route), with a fresh challenge token;
 * the answer names the TXT record that proves control of the name and the CNAME target. Refused:
 * a name under the platform domain, one another site holds (`DomainUnavailable`), one this site
 * already has (`Conflict`), and more than the plan allows.
 */
export const addDomain = defineOperation({
  name: 'domain.add',
  scope: 'tenant',
  action: 'domain.manage',
  mutates: true,
  input: domainInput,
  async run(tx, { hostname }): Promise<DomainView> {
    const tenant = tx.tenant!;
    const plan = await planOf(tx);
    assertFeature(plan, 'customDomains');
    const held = await listDomainRows(tx);
    if (held.some((d) => d.hostname === hostname)) throw new MosaicError('Conflict', `This site already has the domain "${hostname}".`);
    assertWithinLimit(plan, 'customDomains', held.length + 1);
    // Platform scope sees every site's domains, so a name another site holds is named as such.
    const owners = await asPlatform(tx, () => findDomainOwners(tx.trx, [hostname]));
    const issues = domainClaimIssues([{ slug: tenant.slug, hostname }], { platformDomain: platformDomainOf(tx), owners });
    if (issues.length) {
      // Which site holds it is not this site's business.
      throw new MosaicError('DomainUnavailable', undefined, issues.map((i) => ({ path: 'hostname', message: i.message.replace(/ belongs to tenant ".*"$/, ' belongs to another site') })));
    }
    const row = await asPlatform(tx, () =>
      tx.trx
        .insertInto('domains')
        .values({ tenant_id: tenant.id, hostname, is_primary: false, verified: false, challenge_token: newChallengeToken() })
        .returning(['hostname', 'is_primary', 'verified', 'verified_at', 'checked_at', 'broken_since', 'last_check_error', 'challenge_token'])
        .executeTakeFirstOrThrow()
        .catch((error: unknown) => {
          const pg = error as { code?: string; constraint?: string };
          if (pg.code === '23505') throw new MosaicError('DomainUnavailable', undefined, [{ path: 'hostname', message: `hostname "${hostname}" belongs to another site` }]);
          throw error;
        }),
    );
    await tx.audit({ subject: hostname, after: { hostname, verified: false } });
    return toDomainView(tx, row);
  },
});
