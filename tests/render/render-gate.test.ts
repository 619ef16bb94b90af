import { describe, expect, test } from 'vitest';
import { isMosaicError } from '../../src/errors/catalog.ts';
import { createRenderGate } from '../../src/render/render-gate.ts';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A render the test finishes by hand. */
function controlled<T>(value: T) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  let expiredAtEnd: boolean | null = null;
  return {
    work: async (expired: () => boolean) => {
      await done;
      expiredAtEnd = expired();
      return value;
    },
    finish,
    expiredAtEnd: () => expiredAtEnd,
  };
}

describe('render gate', () => {
  test('runs at most `concurrency` renders at once, queues `queue` more and refuses the rest at once', async () => {
    const refusals: string[] = [];
    const gate = createRenderGate({ concurrency: 2, queue: 1, deadlineMs: 5000, onRefuse: (r) => refusals.push(r) });
    const renders = [controlled(1), controlled(2), controlled(3)];
    const running = renders.map((r) => gate.run(r.work));
    expect([gate.inFlight, gate.queued]).toEqual([2, 1]);

    const refused = await gate.run(async () => 'never').catch((e: unknown) => e);
    expect(isMosaicError(refused) && refused.code).toBe('Overloaded');
    expect(refusals).toEqual(['overloaded']);

    renders[0]!.finish();
    await running[0];
    await wait(0);
    expect([gate.inFlight, gate.queued]).toEqual([2, 0]); // the queued one started
    renders[1]!.finish();
    renders[2]!.finish();
    expect(await Promise.all(running)).toEqual([1, 2, 3]);
    expect(gate.inFlight).toBe(0);
  });

  test('a render past its deadline is answered with ServiceUnavailable, told it expired, and keeps its slot until it ends', async () => {
    const gate = createRenderGate({ concurrency: 1, queue: 0, deadlineMs: 50 });
    const slow = controlled('late');
    const started = Date.now();
    const outcome = await gate.run(slow.work).catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(isMosaicError(outcome) && outcome.code).toBe('ServiceUnavailable');

    // Abandoned but still working: it still counts, so the next render is refused.
    expect(gate.inFlight).toBe(1);
    const next = await gate.run(async () => 'next').catch((e: unknown) => e);
    expect(isMosaicError(next) && next.code).toBe('Overloaded');

    slow.finish();
    await wait(10);
    expect(slow.expiredAtEnd()).toBe(true);
    expect(gate.inFlight).toBe(0);
    expect(await gate.run(async (expired) => expired())).toBe(false);
  });

  test('time spent queued counts against the deadline; a render that gives up in the queue never starts', async () => {
    const gate = createRenderGate({ concurrency: 1, queue: 5, deadlineMs: 60 });
    const blocker = controlled('first');
    const first = gate.run(blocker.work).catch(() => 'gave up too');
    let started = false;
    const queued = await gate
      .run(async () => {
        started = true;
        return 'second';
      })
      .catch((e: unknown) => e);
    expect(isMosaicError(queued) && queued.code).toBe('ServiceUnavailable');
    expect(gate.queued).toBe(0);
    blocker.finish();
    await first;
    await wait(10);
    expect(started).toBe(false);
  });

  test('a failing render releases its slot and passes its error on', async () => {
    const gate = createRenderGate({ concurrency: 1, queue: 0, deadlineMs: 1000 });
    await expect(gate.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(gate.inFlight).toBe(0);
    expect(await gate.run(async () => 'ok')).toBe('ok');
  });
});
