import { invalidationMessageSchema, type InvalidationHandler, type InvalidationMessage } from './invalidation-bus.ts';

/** The slice of ioredis the change log uses. */
export interface RedisStreamCommands {
  xadd(key: string, maxlen: 'MAXLEN', approx: '~', count: number, id: '*', field: string, value: string): Promise<string | null>;
  xread(count: 'COUNT', n: number, streams: 'STREAMS', key: string, id: string): Promise<[string, [string, string[]][]][] | null>;
  xrevrange(key: string, end: '+', start: '-', count: 'COUNT', n: number): Promise<[string, string[]][]>;
}

export interface ChangeLog {
  append(message: InvalidationMessage): Promise<void>;
  /** Reads every change since the last read (one Redis call, however many tenants). */
  poll(): Promise<number>;
  /** Polls every `intervalMs` until stopped. */
  start(intervalMs: number): () => void;
}

const MAX_LENGTH = 10_000;

/**
 * A short, durable record of site changes in a Redis stream. Pub/sub delivers at most once; an
 * instance that polls this log every interval catches whatever it missed, so a lost message leaves
 * a page stale for one interval at most. If the log was trimmed past the last entry read,
 * `onGap` lets the instance drop everything it cannot vouch for.
 */
export function createChangeLog(options: {
  client: RedisStreamCommands;
  key: string;
  onChange: InvalidationHandler;
  onGap: () => void;
  logger: { warn(obj: object, msg: string): void };
}): ChangeLog {
  const { client, key, onChange, onGap, logger } = options;
  let lastId: string | null = null;

  async function poll(): Promise<number> {
    if (lastId === null) {
      const [latest] = await client.xrevrange(key, '+', '-', 'COUNT', 1);
      lastId = latest?.[0] ?? '0-0';
      return 0;
    }
    const reply = await client.xread('COUNT', MAX_LENGTH, 'STREAMS', key, lastId);
    const entries = reply?.[0]?.[1] ?? [];
    if (entries.length >= MAX_LENGTH) onGap();
    for (const [id, fields] of entries) {
      lastId = id;
      const parsed = invalidationMessageSchema.safeParse(safeJson(fields[1]));
      if (parsed.success) onChange(parsed.data);
    }
    return entries.length;
  }

  return {
    async append(message) {
      await client.xadd(key, 'MAXLEN', '~', MAX_LENGTH, '*', 'change', JSON.stringify(message));
    },
    poll,
    start(intervalMs) {
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        poll()
          .catch((error: unknown) => logger.warn({ err: String(error) }, 'change log poll failed'))
          .finally(() => (running = false));
      }, intervalMs);
      timer.unref();
      void poll().catch(() => undefined);
      return () => clearInterval(timer);
    },
  };
}

function safeJson(raw: string | undefined): unknown {
  try {
    return raw === undefined ? undefined : JSON.parse(raw);
  } catch {
    return undefined;
  }
}
