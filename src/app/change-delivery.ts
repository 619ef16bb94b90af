import type { ChangeLog } from '../cache/change-log.ts';
import { MAX_ANNOUNCED_PATHS, type InvalidationBus, type InvalidationHandler, type InvalidationMessage } from '../cache/invalidation-bus.ts';
import type { SiteChange, SiteChangeNotifier } from '../publishing/site-version.ts';
import { hostKeyFor, tenantKey } from '../site/cache-keys.ts';

/** How a change reaches the other instances: through Redis. */
export interface SharedDelivery {
  /** Deletes shared cache entries; throws when Redis cannot be reached. */
  dropShared(keys: string[]): Promise<void>;
  log: Pick<ChangeLog, 'append'>;
  bus: Pick<InvalidationBus, 'publish'>;
}

export interface ChangeDelivery {
  /**
   * Tells this process (when it serves pages) and every other instance (through Redis, when
   * configured). True once everyone who can be told has been; false when it must be tried again.
   * Never throws. Delivering twice is harmless.
   */
  deliver(change: SiteChange): Promise<boolean>;
}

export function createChangeDelivery(options: {
  origin: string;
  platformDomain: string;
  /** This process's own caches; null in a command-line tool. */
  local: InvalidationHandler | null;
  shared: SharedDelivery | null;
}): ChangeDelivery {
  const { local, shared } = options;
  return {
    async deliver(change) {
      const message: InvalidationMessage = {
        tenantId: change.tenantId,
        siteVersion: change.siteVersion,
        reason: change.reason.slice(0, 200),
        origin: options.origin,
        ...(change.hostnames?.length ? { hostnames: [...change.hostnames] } : {}),
        ...(change.paths?.length && change.paths.length <= MAX_ANNOUNCED_PATHS ? { paths: [...change.paths] } : {}),
      };
      // A command-line tool without Redis reaches no server: it leaves the notice for a server.
      if (!shared) {
        local?.(message);
        return local !== null;
      }
      let told = false;
      try {
        // Shared copies go first: an instance that hears of the change (this one included, which
        // reloads the tenant at once to warm its pages) reads through Redis next.
        const hosts = (change.hostnames ?? []).map((hostname) => hostKeyFor(hostname, options.platformDomain));
        await shared.dropShared([tenantKey(change.tenantId), ...hosts]);
        local?.(message);
        told = true;
        // The log outlives a lost pub/sub message: every instance reads it once per interval.
        await shared.log.append(message);
        await shared.bus.publish(message);
        return true;
      } catch {
        // This process still forgets what it holds, even when the others must be told later.
        if (!told) local?.(message);
        return false;
      }
    },
  };
}

/**
 * The notifier publishing uses: delivers right after the commit and retires the change's outbox
 * notice. What it cannot deliver now stays in the outbox, where a server's dispatcher finds it;
 * so it never throws, and a publish never fails after its commit.
 */
export function outboxNotifier(options: {
  delivery: ChangeDelivery;
  finish: (noticeIds: string[]) => Promise<void>;
  logger: { warn(obj: object, msg: string): void };
  onDelivered?: () => void;
}): SiteChangeNotifier {
  const { delivery, logger } = options;
  return async (change) => {
    if (!(await delivery.deliver(change))) {
      logger.warn({ tenant: change.tenantId, version: change.siteVersion }, 'change notice not delivered yet; a server will retry it');
      return;
    }
    options.onDelivered?.();
    if (!change.noticeId) return;
    await options.finish([change.noticeId]).catch((error: unknown) =>
      logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not retire a delivered change notice'),
    );
  };
}
