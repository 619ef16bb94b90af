import { describe, expect, test } from 'vitest';
import { createRespawnBackoff } from '../../src/server/respawn-backoff.ts';

describe('worker respawn backoff', () => {
  test('workers that die at start-up are replaced ever more slowly, up to the cap', () => {
    const backoff = createRespawnBackoff({ baseMs: 500, maxMs: 30_000, healthyAfterMs: 30_000 });
    const delays = Array.from({ length: 8 }, () => backoff.next(200));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  test('a worker that ran for a while is replaced quickly, and resets the count', () => {
    const backoff = createRespawnBackoff({ baseMs: 500, maxMs: 30_000, healthyAfterMs: 30_000 });
    backoff.next(100);
    backoff.next(100);
    expect(backoff.next(60_000)).toBe(500);
    expect(backoff.next(100)).toBe(1000);
  });
});
