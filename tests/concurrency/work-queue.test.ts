import { describe, expect, test } from 'vitest';
import { createWorkQueue, type Job } from '../../src/concurrency/work-queue.ts';

/** A job that records its start and finishes when the test says so. */
function gated(name: string, log: string[]) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const job: Job = async () => {
    log.push(`start ${name}`);
    await done;
    log.push(`end ${name}`);
  };
  return { job, finish };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the bounded work queue', () => {
  test('runs at most `concurrency` jobs at once, urgent ones first, the rest in order', async () => {
    const log: string[] = [];
    const queue = createWorkQueue({ concurrency: 2, maxQueued: 10, onError: () => {} });
    const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map((name) => gated(name, log));
    queue.push(a!.job);
    queue.push(b!.job);
    queue.push(c!.job);
    // Queued in the same tick as the others: it still goes first.
    queue.push(d!.job, { urgent: true });
    await settle();
    expect(log).toEqual(['start d', 'start a']);
    expect(queue.waiting).toBe(2);
    queue.push(e!.job, { urgent: true });
    d!.finish();
    await settle();
    expect(log).toEqual(['start d', 'start a', 'end d', 'start e']);
    for (const job of [a, b, c, e]) job!.finish();
    await queue.idle();
    expect(log.filter((line) => line.startsWith('start'))).toEqual(['start d', 'start a', 'start e', 'start b', 'start c']);
  });

  test('refuses jobs past `maxQueued` waiting, and reports the count waiting', async () => {
    const counts: number[] = [];
    const queue = createWorkQueue({ concurrency: 1, maxQueued: 2, onError: () => {}, onWaiting: (n) => counts.push(n) });
    const blocker = gated('blocker', []);
    expect(queue.push(blocker.job)).toBe(true);
    await settle();
    expect(queue.push(async () => {})).toBe(true);
    expect(queue.push(async () => {})).toBe(true);
    expect(queue.push(async () => {})).toBe(false);
    expect(queue.waiting).toBe(2);
    blocker.finish();
    await queue.idle();
    expect(queue.waiting).toBe(0);
    expect(counts.at(-1)).toBe(0);
    expect(Math.max(...counts)).toBe(2);
  });

  test('a job that throws, at once or later, is reported and the queue goes on', async () => {
    const errors: unknown[] = [];
    const ran: string[] = [];
    const queue = createWorkQueue({ concurrency: 1, maxQueued: 10, onError: (error) => errors.push(error) });
    queue.push(() => {
      throw new Error('at once');
    });
    queue.push(async () => {
      throw new Error('later');
    });
    queue.push(async () => void ran.push('after'));
    await queue.idle();
    expect(errors.map((e) => (e as Error).message)).toEqual(['at once', 'later']);
    expect(ran).toEqual(['after']);
  });

  test('idle waits for held work outside the queue, and for what it queues', async () => {
    const queue = createWorkQueue({ concurrency: 1, maxQueued: 10, onError: () => {} });
    const release = queue.hold();
    let idle = false;
    const waited = queue.idle().then(() => (idle = true));
    await settle();
    expect(idle).toBe(false);
    const job = gated('listed', []);
    queue.push(job.job);
    release();
    release(); // a second release changes nothing
    await settle();
    expect(idle).toBe(false);
    job.finish();
    await waited;
    expect(idle).toBe(true);
  });

  test('stop drops the waiting jobs and refuses new ones; the running one finishes', async () => {
    const log: string[] = [];
    const queue = createWorkQueue({ concurrency: 1, maxQueued: 10, onError: () => {} });
    const running = gated('running', log);
    queue.push(running.job);
    queue.push(async () => void log.push('dropped ran'));
    await settle();
    queue.stop();
    expect(queue.waiting).toBe(0);
    expect(queue.push(async () => void log.push('late ran'))).toBe(false);
    running.finish();
    await queue.idle();
    expect(log).toEqual(['start running', 'end running']);
  });
});
