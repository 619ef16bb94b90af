import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { RedisConfig } from '../config/config.ts';
import { guardRedis, type GuardedRedis } from './guarded-redis.ts';
import { createRedisBreaker, type RedisBreaker } from './redis-breaker.ts';

/** The few logger methods the connection uses (pino's shape). */
interface ConnectionLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

/** A single Redis server, or a Redis Cluster routed by slot (`REDIS_CLUSTER=true`). */
export type RedisClient = Redis | Cluster;

export interface RedisConnection {
  readonly name: string;
  /** Every command goes through the breaker and fails within the command timeout. */
  readonly commands: GuardedRedis;
  readonly breaker: RedisBreaker;
  /** True while connected and the breaker is closed; requests skip Redis otherwise. */
  readonly usable: boolean;
  /** A new connection with the same limits (pub/sub needs its own). */
  duplicate(name: string): RedisClient;
  /** Runs each time the connection becomes ready, the first time included. */
  onReady(listener: () => void): void;
  /** Waits until connected, for at most `timeoutMs`; false when Redis did not answer by then. */
  ready(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

// Reconnects back off from 50 ms to this, so a returning Redis is used again within ~2 s.
const MAX_RECONNECT_DELAY_MS = 2000;

/**
 * Options that make Redis trouble cost a request at most one command timeout: nothing queues while
 * disconnected, nothing is retried or re-sent after a reconnect, and a socket that stops answering
 * is dropped and reconnected in the background.
 */
export function redisClientOptions(config: RedisConfig, name: string): RedisOptions {
  return {
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // A write re-sent after a reconnect could restore an entry deleted since (a stale tenant record).
    autoResendUnfulfilledCommands: false,
    commandTimeout: config.commandTimeoutMs,
    connectTimeout: config.connectTimeoutMs,
    socketTimeout: Math.max(1000, config.commandTimeoutMs * 5),
    retryStrategy: (attempt: number) => Math.min(50 * 2 ** Math.min(attempt, 10), MAX_RECONNECT_DELAY_MS),
    enableAutoPipelining: true,
  };
}

/**
 * One Redis connection for cache reads, leases, the change log and publishing. Every error is
 * handled here; an outage is logged once when it starts ("redis unavailable") and once when it
 * ends ("redis available again").
 */
export function openRedisConnection(
  config: RedisConfig,
  options: { name: string; logger: ConnectionLogger; onSkipped?: () => void; onAvailability?: (available: boolean) => void },
): RedisConnection {
  const { logger } = options;
  const client = createClient(config, options.name);
  const breaker = createRedisBreaker({ retryAfterMs: config.retryAfterMs, name: options.name });
  const readyListeners: (() => void)[] = [];
  let closing = false;
  // null until the first connection attempt has an outcome.
  let available: boolean | null = null;

  const markDown = (reason: string) => {
    if (available === false || closing) return;
    available = false;
    logger.warn({ reason }, 'redis unavailable');
    options.onAvailability?.(false);
  };
  const markUp = () => {
    if (available === true || client.status !== 'ready') return;
    if (available === false) logger.info({}, 'redis available again');
    available = true;
    options.onAvailability?.(true);
  };
  const commands = guardRedis(client, breaker, options.onSkipped);
  breaker.onStateChange((state) => {
    if (state === 'open') markDown('commands failing');
    if (state === 'closed') markUp();
    // Requests skip Redis until the breaker closes again, so the breaker probes Redis itself.
    if (state === 'half-open') void commands.ping().catch(() => undefined);
  });
  client.on('error', (error: Error) => logger.debug({ err: error.message }, 'redis connection error'));
  client.on('close', () => {
    markDown('connection closed');
    breaker.trip();
  });
  client.on('ready', () => {
    breaker.reset();
    markUp();
    for (const listener of readyListeners) listener();
  });

  return {
    name: options.name,
    commands,
    breaker,
    get usable() {
      return client.status === 'ready' && breaker.state === 'closed';
    },
    duplicate(name) {
      const copy = client instanceof Cluster ? client.duplicate(undefined, { redisOptions: { ...client.options.redisOptions, connectionName: name } }) : client.duplicate({ connectionName: name });
      copy.on('error', (error: Error) => logger.debug({ err: error.message, connection: name }, 'redis connection error'));
      return copy;
    },
    onReady: (listener) => void readyListeners.push(listener),
    ready(timeoutMs) {
      if (client.status === 'ready') return Promise.resolve(true);
      return new Promise((resolve) => {
        const done = (outcome: boolean) => {
          clearTimeout(timer);
          client.off('ready', onReady);
          resolve(outcome);
        };
        const onReady = () => done(true);
        const timer = setTimeout(() => done(false), timeoutMs);
        client.once('ready', onReady);
      });
    },
    async close() {
      closing = true;
      breaker.shutdown();
      await client.quit().catch(() => client.disconnect());
    },
  };
}

/**
 * The client for `config`. A cluster client takes the URL's node as its seed, keeps the same
 * fail-fast options for every node, and is told MOVED/ASK by the nodes when slots move.
 */
function createClient(config: RedisConfig, name: string): RedisClient {
  const options = redisClientOptions(config, name);
  if (!config.cluster) return new Redis(config.url, options);
  const seed = new URL(config.url);
  const { retryStrategy, enableOfflineQueue, ...nodeOptions } = options;
  return new Cluster([{ host: seed.hostname, port: Number(seed.port || 6379) }], {
    enableOfflineQueue,
    enableAutoPipelining: true,
    clusterRetryStrategy: retryStrategy,
    // A failover answers CLUSTERDOWN/TRYAGAIN briefly; a request treats that as a miss instead of waiting.
    retryDelayOnClusterDown: 0,
    retryDelayOnTryAgain: 0,
    slotsRefreshTimeout: config.connectTimeoutMs,
    redisOptions: {
      ...nodeOptions,
      username: decodeURIComponent(seed.username) || undefined,
      password: decodeURIComponent(seed.password) || undefined,
      tls: seed.protocol === 'rediss:' ? {} : undefined,
    },
  });
}
