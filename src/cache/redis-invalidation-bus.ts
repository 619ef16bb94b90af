import type { CacheLogger } from './cache-layer.ts';
import { invalidationMessageSchema, type InvalidationBus, type InvalidationHandler } from './invalidation-bus.ts';

/** The slices of ioredis clients the bus uses: one to publish, a dedicated one to subscribe. */
export interface RedisPublisher {
  publish(channel: string, message: string): Promise<number>;
}
export interface RedisSubscriber {
  subscribe(channel: string): Promise<unknown>;
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  quit(): Promise<unknown>;
}

/**
 * Invalidation over Redis pub/sub. Delivery is at most once; the short life of tenant entries
 * bounds how long a lost message can leave an instance behind.
 */
export function createRedisInvalidationBus(options: {
  publisher: RedisPublisher;
  createSubscriber: () => RedisSubscriber;
  channel: string;
  logger: CacheLogger;
}): InvalidationBus {
  const { publisher, channel, logger } = options;
  const handlers = new Set<InvalidationHandler>();
  let subscriber: RedisSubscriber | null = null;
  let ready: Promise<unknown> | null = null;

  function ensureSubscribed(): Promise<unknown> {
    if (ready) return ready;
    subscriber = options.createSubscriber();
    subscriber.on('message', (from, raw) => {
      if (from !== channel) return;
      const parsed = invalidationMessageSchema.safeParse(safeJson(raw));
      if (!parsed.success) {
        logger.warn({ channel, raw: raw.slice(0, 200) }, 'ignored a malformed invalidation message');
        return;
      }
      for (const handler of handlers) handler(parsed.data);
    });
    ready = subscriber.subscribe(channel);
    return ready;
  }

  return {
    async publish(message) {
      await publisher.publish(channel, JSON.stringify(message));
    },
    subscribe(handler) {
      handlers.add(handler);
      ensureSubscribed().catch((error: unknown) => logger.warn({ err: String(error), channel }, 'redis subscribe failed'));
      return () => handlers.delete(handler);
    },
    async ready() {
      await ensureSubscribed();
    },
    async close() {
      handlers.clear();
      await subscriber?.quit().catch(() => undefined);
    },
  };
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
