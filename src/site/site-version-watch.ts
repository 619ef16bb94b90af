import type { SiteRepository } from './site-repository.ts';

export interface VersionWatch {
  intervalMs: number;
  /** The tenant's current site version as the publisher last wrote it (0 when unknown). */
  read(tenantId: string): Promise<number>;
  /** Drops everything this instance holds in memory for the tenant. */
  forget(tenantId: string): void;
  logger: { warn(obj: object, msg: string): void };
}

/**
 * Bounds the damage of a lost invalidation message: at most once per interval per tenant, compare
 * the cached site version with the one the publisher wrote to Redis and forget the tenant if it
 * moved on. The check never delays a request; the next one sees the new version.
 */
export function watchSiteVersions(repo: SiteRepository, watch: VersionWatch | null): SiteRepository {
  if (!watch) return repo;
  const checkedAt = new Map<string, number>();
  return {
    ...repo,
    async tenant(tenantId) {
      const record = await repo.tenant(tenantId);
      const now = Date.now();
      if (record && now - (checkedAt.get(tenantId) ?? 0) >= watch.intervalMs) {
        checkedAt.set(tenantId, now);
        if (checkedAt.size > 100_000) checkedAt.clear();
        watch.read(tenantId).then(
          (latest) => {
            if (latest > record.siteVersion) watch.forget(tenantId);
          },
          (error: unknown) => watch.logger.warn({ err: String(error), tenantId }, 'site version check failed'),
        );
      }
      return record;
    },
  };
}
