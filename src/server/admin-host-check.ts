import type { AppServices } from '../app/app-services.ts';
import { hostCandidates } from '../host/host-candidates.ts';

/**
 * The admin host is decided before any tenant lookup, so a tenant whose address is ADMIN_HOST
 * (its platform address `<slug>.PLATFORM_DOMAIN`, or a domain it claims) is never served there.
 * Said once at start-up, so the operator can rename one of them.
 */
export async function warnIfAdminHostClaimed(app: Pick<AppServices, 'config' | 'repo' | 'logger'>): Promise<boolean> {
  const { adminHost, platformDomain } = app.config;
  const lookup = hostCandidates(adminHost, platformDomain);
  const match = await app.repo.findHost(lookup.hostname, lookup.platformSlug).catch(() => null);
  if (match) app.logger.warn({ adminHost, tenant: match.tenantId }, 'ADMIN_HOST is also a tenant’s address: the admin answers there, that tenant does not');
  return match !== null;
}
