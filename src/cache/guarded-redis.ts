import { Cluster } from 'ioredis';
import type { RedisClient } from './redis-connection.ts';
import type { RedisStreamCommands } from './change-log.ts';
import type { RedisLeaseCommands } from './load-lease.ts';
import { isBreakerRefusal, type RedisBreaker } from './redis-breaker.ts';
import type { RedisPublisher } from './redis-invalidation-bus.ts';
import type { RedisCommands } from './redis-layer.ts';

/** Every command Mosaic sends on its main Redis connection, each through the breaker. */
export interface GuardedRedis extends RedisCommands, RedisLeaseCommands, RedisStreamCommands, RedisPublisher {
  set(key: string, value: string, px: 'PX', ms: number, nx?: 'NX'): Promise<'OK' | null>;
  ping(): Promise<string>;
}

export function guardRedis(client: RedisClient, breaker: RedisBreaker, onSkipped?: () => void): GuardedRedis {
  const guarded = <T>(command: () => Promise<T>): Promise<T> =>
    breaker.run(command).catch((error: unknown) => {
      if (isBreakerRefusal(error)) onSkipped?.();
      // A local Redis answers in well under a millisecond: one command timing out means it is
      // frozen or swamped, and waiting for the error rate to say so would cost every request more.
      else if (isCommandTimeout(error)) breaker.trip();
      throw error;
    });
  return {
    get: (key) => guarded(() => client.get(key)),
    set: (key, value, px, ms, nx) => guarded(() => (nx ? client.set(key, value, px, ms, nx) : client.set(key, value, px, ms))),
    // A Redis Cluster refuses a multi-key DEL across slots (keys of different tenants): one DEL a
    // key there, sent together by auto-pipelining.
    del: (...keys) =>
      guarded(async () => (client instanceof Cluster && keys.length > 1 ? (await Promise.all(keys.map((key) => client.del(key)))).reduce((a, b) => a + b, 0) : client.del(...keys))),
    eval: (script, keys, ...args) => guarded(() => client.eval(script, keys, ...args)),
    xadd: (key, maxlen, approx, count, id, field, value) => guarded(() => client.xadd(key, maxlen, approx, count, id, field, value)),
    xrange: (key, start, end, countWord, count) => guarded(() => client.xrange(key, start, end, countWord, count)),
    xrevrange: (key, end, start, countWord, count) => guarded(() => client.xrevrange(key, end, start, countWord, count)),
    publish: (channel, message) => guarded(() => client.publish(channel, message)),
    ping: () => guarded(() => client.ping()),
  };
}

const isCommandTimeout = (error: unknown): boolean => error instanceof Error && error.message === 'Command timed out';
