import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { claimChanges, finishChanges } from '../publishing/change-outbox.ts';
import type { ChangeDelivery } from './change-delivery.ts';

const BATCH = 100;

/**
 * Every server runs one: each interval it claims the change notices that nobody delivered (the
 * process that committed them died first, or Redis was down) and delivers them. A claim lasts a
 * few intervals, so a notice whose dispatcher dies mid-delivery is taken up by another server.
 * Returns a function that stops it.
 */
export function startChangeDispatcher(options: {
  db: Kysely<Database>;
  delivery: ChangeDelivery;
  intervalMs: number;
  logger: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
  onDelivered?: (count: number) => void;
  onFailed?: (count: number) => void;
}): () => Promise<void> {
  const { db, delivery, logger } = options;
  const leaseMs = Math.max(2000, options.intervalMs * 4);
  let running: Promise<void> | null = null;
  let failing: 'database' | 'delivery' | null = null;

  const report = (problem: typeof failing, detail: object) => {
    if (problem && problem !== failing) logger.warn(detail, problem === 'database' ? 'change dispatcher cannot reach the database' : 'change notices not delivered; retrying');
    if (!problem && failing) logger.info({}, 'change dispatcher delivering again');
    failing = problem;
  };

  async function tick(): Promise<void> {
    let claimed;
    try {
      claimed = await claimChanges(db, BATCH, leaseMs);
    } catch (error) {
      report('database', { err: error instanceof Error ? error.message : String(error) });
      return;
    }
    const delivered: string[] = [];
    for (const change of claimed) {
      // One failure means Redis is unreachable: the rest wait for their claim to lapse.
      if (!(await delivery.deliver(change))) break;
      delivered.push(change.noticeId);
    }
    const undelivered = claimed.length - delivered.length;
    if (delivered.length) options.onDelivered?.(delivered.length);
    if (undelivered) options.onFailed?.(undelivered);
    try {
      await finishChanges(db, delivered);
    } catch (error) {
      // Delivered but not retired: delivered again after the claim lapses, which is harmless.
      report('database', { err: error instanceof Error ? error.message : String(error) });
      return;
    }
    report(undelivered ? 'delivery' : null, { pending: undelivered });
  }

  const timer = setInterval(() => {
    running ??= tick().finally(() => (running = null));
  }, options.intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
