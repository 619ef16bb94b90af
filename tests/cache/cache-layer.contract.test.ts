import { afterAll, describe, expect, test } from 'vitest';
import type { CacheLayer } from '../../src/cache/cache-layer.ts';
import { createMemoryLayer, entrySize } from '../../src/cache/memory-layer.ts';
import { createRedisLayer } from '../../src/cache/redis-layer.ts';
import { openTestRedis } from '../support/redis.ts';

const quiet = { warn: () => {} };
const redis = openTestRedis();
afterAll(() => redis.close());

// One contract, every layer: each implementation is proven by the same cases.
const LAYERS: [string, () => CacheLayer][] = [
  ['memory', () => createMemoryLayer({ maxEntries: 100, maxBytes: 1_000_000 })],
  ['redis', () => createRedisLayer({ client: redis.redis, prefix: `${redis.prefix}${Math.random()}:`, logger: quiet })],
];

describe.each(LAYERS)('%s layer', (_name, make) => {
  const later = (ms = 60_000) => Date.now() + ms;

  test('stores and returns a JSON value with its expiry', async () => {
    const layer = make();
    const entry = { value: { title: 'Hello', sections: [1, 2] }, expiresAt: later() };
    await layer.set('a', entry);
    expect(await layer.get('a')).toEqual(entry);
  });

  test('a miss is undefined; a known absence is a null value', async () => {
    const layer = make();
    expect(await layer.get('missing')).toBeUndefined();
    await layer.set('absent', { value: null, expiresAt: later() });
    expect(await layer.get('absent')).toEqual({ value: null, expiresAt: expect.any(Number) });
  });

  test('expired entries are not returned', async () => {
    const layer = make();
    await layer.set('short', { value: 1, expiresAt: later(30) });
    expect((await layer.get('short'))?.value).toBe(1);
    await new Promise((r) => setTimeout(r, 60));
    expect(await layer.get('short')).toBeUndefined();
  });

  test('delete removes the named keys only', async () => {
    const layer = make();
    await layer.set('x', { value: 'x', expiresAt: later() });
    await layer.set('y', { value: 'y', expiresAt: later() });
    await layer.delete(['x']);
    expect(await layer.get('x')).toBeUndefined();
    expect((await layer.get('y'))?.value).toBe('y');
  });
});

describe('memory layer bounds', () => {
  test('evicts by entry count', async () => {
    const layer = createMemoryLayer({ maxEntries: 3, maxBytes: 1_000_000 });
    for (const key of ['a', 'b', 'c', 'd']) await layer.set(key, { value: key, expiresAt: Date.now() + 60_000 });
    expect(layer.size).toBe(3);
    expect(await layer.get('a')).toBeUndefined();
  });

  test('evicts by bytes', async () => {
    const layer = createMemoryLayer({ maxEntries: 1000, maxBytes: 10_000 });
    for (let i = 0; i < 20; i++) await layer.set(`k${i}`, { value: 'x'.repeat(1000), expiresAt: Date.now() + 60_000 });
    expect(layer.bytes).toBeLessThanOrEqual(10_000);
    expect(layer.size).toBeLessThan(20);
  });

  test('counts what a parsed entry holds, not only its JSON', async () => {
    const layer = createMemoryLayer({ maxEntries: 100, maxBytes: 1_000_000 });
    const value = { title: 'x'.repeat(1000) };
    await layer.set('k', { value, expiresAt: Date.now() + 60_000 });
    expect(layer.bytes).toBe(entrySize({ value, expiresAt: 0 }, 'k'));
    expect(layer.bytes).toBeGreaterThanOrEqual(2 * JSON.stringify(value).length);
  });

  test('purgeStale drops expired entries that nobody reads', async () => {
    const layer = createMemoryLayer({ maxEntries: 100, maxBytes: 1_000_000 });
    await layer.set('old', { value: 'a', expiresAt: Date.now() + 30 });
    await layer.set('new', { value: 'b', expiresAt: Date.now() + 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(layer.size).toBe(2);
    layer.purgeStale();
    expect(layer.size).toBe(1);
    expect(layer.bytes).toBe(entrySize({ value: 'b', expiresAt: 0 }, 'new'));
  });

  test('drops every key with a prefix', async () => {
    const layer = createMemoryLayer({ maxEntries: 100, maxBytes: 100_000 });
    for (const key of ['t:1:a', 't:1:b', 't:2:a']) await layer.set(key, { value: key, expiresAt: Date.now() + 60_000 });
    expect(layer.deletePrefix('t:1:')).toBe(2);
    expect(await layer.get('t:1:a')).toBeUndefined();
    expect((await layer.get('t:2:a'))?.value).toBe('t:2:a');
  });
});
