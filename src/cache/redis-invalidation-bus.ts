import type { CacheLogger } from './cache-layer.ts';
import { invalidationMessageSchema, type InvalidationBus, type InvalidationHandler } from './invalidation-bus.ts';

/** The slices of ioredis clients the bus uses: one to publish, a dedicated one to subscribe. */
export interface RedisPublisher {
  publish(channel: string, message: string): Promise<number>;
}
export interface RedisSubscriber {
  subscribe(channel: string): Promise<unknown>;
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  on(event: 'ready', listener: () => void): unknown;
  quit(): Promise<unknown>;
  disconnect(): void;
}

/**
 * Invalidation over Redis pub/sub. Delivery is at most once; the change log catches what a lost
 * message or an outage missed. The subscription is made again each time the subscriber connects,
 * so an instance that started while Redis was unreachable subscribes as soon as it can.
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
  let first: Promise<void> | null = null;

  function ensureSubscribed(): Promise<void> {
    if (first) return first;
    let subscribed!: () => void;
    first = new Promise<void>((resolve) => (subscribed = resolve));
    const connection = options.createSubscriber();
    subscriber = connection;
    connection.on('message', (from, raw) => {
      if (from !== channel) return;
      const parsed = invalidationMessageSchema.safeParse(safeJson(raw));
      if (!parsed.success) {
        logger.warn({ channel, raw: raw.slice(0, 200) }, 'ignored a malformed invalidation message');
        return;
      }
      for (const handler of handlers) handler(parsed.data);
    });
    // Commands are not queued while disconnected, so subscribe whenever the connection is ready:
    // at start-up, after Redis comes back, and after every reconnect (twice is harmless).
    connection.on('ready', () => {
      connection.subscribe(channel).then(subscribed, (error: unknown) => logger.warn({ err: String(error), channel }, 'redis subscribe failed'));
    });
    return first;
  }

  return {
    async publish(message) {
      await publisher.publish(channel, JSON.stringify(message));
    },
    subscribe(handler) {
      handlers.add(handler);
      void ensureSubscribed();
      return () => handlers.delete(handler);
    },
    async ready() {
      await ensureSubscribed();
    },
    async close() {
      handlers.clear();
      await subscriber?.quit().catch(() => subscriber?.disconnect());
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
