import { MosaicError } from '../errors/catalog.ts';

export type RenderRefusal = 'overloaded' | 'deadline';

export interface RenderGate {
  /**
   * Runs one render within the limits: at most `concurrency` at once, at most `queue` waiting, and
   * an answer within `deadlineMs` of the call, waiting included. Beyond the queue it refuses at
   * once (`Overloaded`); past the deadline it gives up (`ServiceUnavailable`). A render that
   * misses its deadline keeps its place until it really ends, so abandoned work still counts
   * against the limit; `expired()` tells it not to store what it made.
   */
  run<T>(work: (expired: () => boolean) => Promise<T>): Promise<T>;
  readonly inFlight: number;
  readonly queued: number;
}

/**
 * Load shedding and the render deadline. Hand-written: a counter and a queue are all it needs, and
 * the libraries that queue work (p-limit, p-queue) neither refuse at a bound nor keep a slot for
 * work whose caller has given up.
 */
export function createRenderGate(options: {
  concurrency: number;
  queue: number;
  deadlineMs: number;
  onRefuse?: (reason: RenderRefusal) => void;
  onChange?: (inFlight: number, queued: number) => void;
}): RenderGate {
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  const changed = () => options.onChange?.(inFlight, waiting.length);

  const startNext = () => {
    while (inFlight < options.concurrency && waiting.length) waiting.shift()!();
    changed();
  };

  return {
    run<T>(work: (expired: () => boolean) => Promise<T>): Promise<T> {
      if (inFlight >= options.concurrency && waiting.length >= options.queue) {
        options.onRefuse?.('overloaded');
        return Promise.reject(new MosaicError('Overloaded'));
      }
      return new Promise<T>((resolve, reject) => {
        let expired = false;
        let settled = false;
        const start = () => {
          inFlight++;
          Promise.resolve()
            .then(() => work(() => expired))
            .then(
              (value) => settle(() => resolve(value)),
              (error: unknown) => settle(() => reject(error)),
            )
            .finally(() => {
              inFlight--;
              startNext();
            });
        };
        const settle = (finish: () => void) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          finish();
        };
        const timer = setTimeout(() => {
          expired = true;
          const queuedAt = waiting.indexOf(start);
          if (queuedAt >= 0) waiting.splice(queuedAt, 1);
          changed();
          if (settled) return;
          options.onRefuse?.('deadline');
          settle(() => reject(new MosaicError('ServiceUnavailable', `No answer within ${options.deadlineMs} ms.`)));
        }, options.deadlineMs);
        timer.unref();
        if (inFlight < options.concurrency) start();
        else waiting.push(start);
        changed();
      });
    },
    get inFlight() {
      return inFlight;
    },
    get queued() {
      return waiting.length;
    },
  };
}
