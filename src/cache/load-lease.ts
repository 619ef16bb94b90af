/**
 * A short cluster-wide lock on loading one key: the holder loads, everyone else waits for the
 * holder's result to appear in the shared layer. Expires by itself if the holder dies.
 */
export interface LoadLease {
  readonly ttlMs: number;
  acquire(key: string): Promise<boolean>;
  release(key: string): Promise<void>;
}

/** The slice of an ioredis client the lease uses. */
export interface RedisLeaseCommands {
  set(key: string, value: string, px: 'PX', ms: number, nx: 'NX'): Promise<'OK' | null>;
  eval(script: string, keys: number, ...args: string[]): Promise<unknown>;
}

// Deletes the lease only if this process still holds it.
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export function createRedisLoadLease(options: { client: RedisLeaseCommands; prefix: string; ttlMs: number; owner: string }): LoadLease {
  const { client, prefix, ttlMs, owner } = options;
  const name = (key: string) => `${prefix}lease:${key}`;
  return {
    ttlMs,
    async acquire(key) {
      try {
        return (await client.set(name(key), owner, 'PX', ttlMs, 'NX')) === 'OK';
      } catch {
        // Without Redis there is no one to coordinate with: load.
        return true;
      }
    },
    async release(key) {
      await client.eval(RELEASE, 1, name(key), owner).catch(() => undefined);
    },
  };
}
