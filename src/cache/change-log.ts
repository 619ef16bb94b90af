import { invalidationMessageSchema, type InvalidationHandler, type InvalidationMessage } from './invalidation-bus.ts';

/** The slice of ioredis the change log uses. */
export interface RedisStreamCommands {
  xadd(key: string, maxlen: 'MAXLEN', approx: '~', count: number, id: '*', field: string, value: string): Promise<string | null>;
  xrange(key: string, start: string, end: '+', countWord: 'COUNT', count: number): Promise<[string, string[]][]>;
  xrevrange(key: string, end: '+', start: '-', countWord: 'COUNT', count: number): Promise<[string, string[]][]>;
}

export interface ChangeLog {
  append(message: InvalidationMessage): Promise<void>;
  /**
   * Reads every change since the last read (one Redis call per 1,000 changes, however many
   * tenants). Calls made while one is under way share it.
   */
  poll(): Promise<number>;
  /** Polls every `intervalMs` until stopped. */
  start(intervalMs: number): () => void;
}

const MAX_LENGTH = 10_000;
const BATCH = 1000;
const START = '0-0';

/**
 * A short, durable record of site changes in a Redis stream. Pub/sub delivers at most once; an
 * instance that polls this log catches whatever it missed — after a lost message, and after a
 * Redis outage, from exactly where it stopped. Only when the entry it read last is no longer in
 * the stream (trimmed away, or Redis lost its data) does `onGap` let it drop what it cannot vouch for.
 */
export function createChangeLog(options: {
  client: RedisStreamCommands;
  key: string;
  onChange: InvalidationHandler;
  onGap: () => void;
  logger: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}): ChangeLog {
  const { client, key, onChange, onGap, logger } = options;
  let lastId: string | null = null;
  let polling: Promise<number> | null = null;
  let failing = false;

  async function readNew(): Promise<number> {
    if (lastId === null) {
      const [latest] = await client.xrevrange(key, '+', '-', 'COUNT', 1);
      lastId = latest?.[0] ?? START;
      return 0;
    }
    let applied = 0;
    for (;;) {
      // XRANGE includes its start: the entry read last comes back first while it is still there.
      const entries = await client.xrange(key, lastId, '+', 'COUNT', BATCH);
      let fresh = entries;
      if (lastId !== START) {
        if (entries[0]?.[0] === lastId) fresh = entries.slice(1);
        else {
          onGap();
          if (entries.length === 0) lastId = START;
        }
      }
      for (const [id, fields] of fresh) {
        lastId = id;
        const parsed = invalidationMessageSchema.safeParse(safeJson(fields[1]));
        if (parsed.success) onChange(parsed.data);
      }
      applied += fresh.length;
      if (entries.length < BATCH) return applied;
    }
  }

  function poll(): Promise<number> {
    polling ??= readNew().finally(() => (polling = null));
    return polling;
  }

  return {
    async append(message) {
      await client.xadd(key, 'MAXLEN', '~', MAX_LENGTH, '*', 'change', JSON.stringify(message));
    },
    poll,
    start(intervalMs) {
      // One line when reading starts failing and one when it works again, not one per interval.
      const pollLogged = () =>
        poll().then(
          () => {
            if (failing) logger.info({}, 'change log readable again');
            failing = false;
          },
          (error: unknown) => {
            if (!failing) logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'change log poll failed');
            failing = true;
          },
        );
      const timer = setInterval(() => void pollLogged(), intervalMs);
      timer.unref();
      void pollLogged();
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
