/** A piece of background work; it handles its own failures (a rejection is only logged). */
export type Job = () => Promise<void>;

/**
 * Background work run at most `concurrency` jobs at once, in the order queued (urgent jobs before
 * the others, also among jobs queued in the same tick), with at most `maxQueued` waiting: past that a job is refused, never queued without
 * bound. For work after a change (pre-rendering, warming) that must neither block a request nor
 * grow memory when changes come faster than it runs.
 */
export interface WorkQueue {
  /** Queues `job`; false when `maxQueued` jobs wait already (or the queue is stopped), and then nothing is queued. */
  push(job: Job, options?: { urgent?: boolean }): boolean;
  /** Marks work going on outside the queue (listing what to queue) until the returned release is called; `idle` waits for it. */
  hold(): () => void;
  /** Jobs waiting (not running). */
  readonly waiting: number;
  /** Resolves once no job runs or waits and nothing is held. */
  idle(): Promise<void>;
  /** Drops the waiting jobs and starts no more; running ones finish. */
  stop(): void;
}

export function createWorkQueue(options: {
  concurrency: number;
  maxQueued: number;
  /** A job that rejected anyway. */
  onError(error: unknown): void;
  /** After every change of `waiting` (a gauge). */
  onWaiting?(count: number): void;
}): WorkQueue {
  const urgent: Job[] = [];
  const normal: Job[] = [];
  let running = 0;
  let held = 0;
  let stopped = false;
  let idleWaiters: (() => void)[] = [];
  const waiting = () => urgent.length + normal.length;

  function pump(): void {
    while (running < options.concurrency && !stopped) {
      const job = urgent.shift() ?? normal.shift();
      if (!job) break;
      running++;
      // A job that throws before its first await must not break this loop.
      void Promise.resolve()
        .then(job)
        .catch(options.onError)
        .finally(() => {
          running--;
          pump();
        });
    }
    options.onWaiting?.(waiting());
    if (running === 0 && held === 0 && waiting() === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  // Jobs queued in one go are sorted by urgency before any starts: the pump runs a tick later.
  let pumpScheduled = false;
  function schedulePump(): void {
    if (pumpScheduled) return;
    pumpScheduled = true;
    queueMicrotask(() => {
      pumpScheduled = false;
      pump();
    });
  }

  return {
    push(job, { urgent: first = false } = {}) {
      if (stopped || waiting() >= options.maxQueued) return false;
      (first ? urgent : normal).push(job);
      schedulePump();
      return true;
    },
    hold() {
      held++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        held--;
        pump();
      };
    },
    get waiting() {
      return waiting();
    },
    idle() {
      if (running === 0 && held === 0 && waiting() === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    stop() {
      stopped = true;
      urgent.length = 0;
      normal.length = 0;
      pump();
    },
  };
}
