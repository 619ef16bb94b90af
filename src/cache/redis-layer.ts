import type { CacheEntry, CacheLayer, CacheLogger } from './cache-layer.ts';

/** The slice of an ioredis client this layer uses. */
export interface RedisCommands {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, mode: 'PX', ms: number): Promise<unknown>;
  del(...keys: string[]): Promise<number>;
}

/**
 * Shared layer over Redis. Redis trouble never breaks a page: errors are logged and count as a
 * miss, and while Redis is known to be down it is not asked at all.
 */
export function createRedisLayer(options: {
  client: RedisCommands;
  prefix: string;
  logger: CacheLogger;
  onRead?: () => void;
  /** False while Redis is being skipped (see `RedisBreaker`). */
  isAvailable?: () => boolean;
}): CacheLayer {
  const { client, prefix, logger, onRead, isAvailable } = options;
  return {
    name: 'redis',
    available: () => isAvailable?.() ?? true,
    async get(key) {
      // While Redis is skipped nothing is asked, and nothing is logged per request.
      if (isAvailable?.() === false) return undefined;
      onRead?.();
      try {
        const raw = await client.get(prefix + key);
        if (raw === null) return undefined;
        const entry = JSON.parse(raw) as CacheEntry;
        return entry.expiresAt > Date.now() ? entry : undefined;
      } catch (error) {
        logger.warn({ err: errorMessage(error), key }, 'redis cache read failed');
        return undefined;
      }
    },
    async set(key, entry) {
      const ttl = Math.ceil(entry.expiresAt - Date.now());
      if (ttl <= 0 || isAvailable?.() === false) return;
      try {
        await client.set(prefix + key, JSON.stringify(entry), 'PX', ttl);
      } catch (error) {
        logger.warn({ err: errorMessage(error), key }, 'redis cache write failed');
      }
    },
    async delete(keys) {
      if (keys.length === 0 || isAvailable?.() === false) return;
      try {
        await client.del(...keys.map((k) => prefix + k));
      } catch (error) {
        logger.warn({ err: errorMessage(error), keys }, 'redis cache delete failed');
      }
    },
  };
}

const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));
