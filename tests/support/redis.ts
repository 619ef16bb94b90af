import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { inject } from 'vitest';

/** A connection to the suite's real Redis, and a key prefix no other test uses. */
export function openTestRedis(): { redis: Redis; prefix: string; close(): Promise<void> } {
  const redis = new Redis(inject('redisUrl'), { maxRetriesPerRequest: 1 });
  const prefix = `test:${randomBytes(4).toString('hex')}:`;
  return {
    redis,
    prefix,
    async close() {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    },
  };
}

/** Wraps a real client's get/set/del so a test can count what reached Redis. */
export function countingRedis(redis: Redis) {
  const calls = { get: 0, set: 0, del: 0 };
  return {
    calls,
    client: {
      get: (key: string) => ((calls.get += 1), redis.get(key)),
      set: (key: string, value: string, mode: 'PX', ms: number) => ((calls.set += 1), redis.set(key, value, mode, ms)),
      del: (...keys: string[]) => ((calls.del += 1), redis.del(...keys)),
    },
  };
}
