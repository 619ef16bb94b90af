import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createOriginLimit, originBudget, type OriginLimitOptions, type OriginTenant, type OriginWork } from '../../src/limits/origin-limit.ts';
import { freePort } from '../support/free-port.ts';
import { openTestRedis } from '../support/redis.ts';

const quiet = { warn: () => {} };
const redis = openTestRedis();
// A Redis that is not ready yet is skipped (memory counts instead): start with a ready one.
beforeAll(() => redis.redis.ping());
afterAll(() => redis.close());

// A minute-long window of six: every case runs well inside one window.
const BURST_SECONDS = 60;
const RATE = 0.1;
const POINTS = 6;

const tenant = (limits: Record<string, unknown> = { originRequestsPerSecond: RATE }): OriginTenant => ({
  id: randomUUID(),
  plan: 'starter',
  planOverrides: { limits },
});

type Make = (options?: Partial<OriginLimitOptions>) => ReturnType<typeof createOriginLimit>;

// One contract, both stores: memory (no Redis) and Redis are proven by the same cases.
const STORES: [string, Make][] = [
  ['memory', (options) => createOriginLimit({ burstSeconds: BURST_SECONDS, redis: null, prefix: '', logger: quiet, ...options })],
  ['redis', (options) => createOriginLimit({ burstSeconds: BURST_SECONDS, redis: redis.redis, prefix: `${redis.prefix}${randomUUID()}:`, logger: quiet, ...options })],
];

const spend = async (limit: ReturnType<typeof createOriginLimit>, who: OriginTenant, times: number, work: OriginWork = 'render') => {
  const waits: number[] = [];
  for (let i = 0; i < times; i++) waits.push(await limit.consume(who, work));
  return waits;
};

describe.each(STORES)('origin limit in %s', (_name, make) => {
  test('allows the burst of the tenant’s rate, then answers the whole seconds to wait, at most one window', async () => {
    const limit = make();
    const waits = await spend(limit, tenant(), POINTS + 2);
    expect(waits.slice(0, POINTS)).toEqual(Array(POINTS).fill(0));
    for (const wait of waits.slice(POINTS)) {
      expect(Number.isInteger(wait)).toBe(true);
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(BURST_SECONDS * 10);
    }
  });

  test('each tenant has its own budget, and every kind of work spends the same one', async () => {
    const limit = make();
    const busy = tenant();
    const other = tenant();
    await spend(limit, busy, 2, 'render');
    await spend(limit, busy, 2, 'form');
    await spend(limit, busy, 2, 'api');
    expect(await limit.consume(busy, 'render')).toBeGreaterThan(0);
    expect(await spend(limit, other, POINTS)).toEqual(Array(POINTS).fill(0));
  });

  test('the rate is the plan’s, with the tenant’s override applied; no limit means never refused', async () => {
    const limit = make();
    // Starter's own rate (20 a second) gives 1,200 a minute-long window.
    expect((await spend(limit, tenant({}), 50)).every((w) => w === 0)).toBe(true);
    const doubled = tenant({ originRequestsPerSecond: RATE * 2 });
    expect((await spend(limit, doubled, POINTS * 2)).every((w) => w === 0)).toBe(true);
    expect(await limit.consume(doubled, 'render')).toBeGreaterThan(0);
    expect((await spend(limit, tenant({ originRequestsPerSecond: null }), 100)).every((w) => w === 0)).toBe(true);
  });

  test('reports each decision by kind of work and outcome', async () => {
    const seen: string[] = [];
    const limit = make({ onOutcome: (work, outcome) => seen.push(`${work}:${outcome}`) });
    const who = tenant();
    await spend(limit, who, POINTS - 1, 'api');
    await spend(limit, who, 2, 'form');
    expect(seen).toEqual([...Array(POINTS - 1).fill('api:allowed'), 'form:allowed', 'form:limited']);
  });
});

describe('origin limit shared through Redis', () => {
  test('two instances on one Redis spend one budget per tenant', async () => {
    const prefix = `${redis.prefix}${randomUUID()}:`;
    const second = new Redis(redis.redis.options);
    try {
      await second.ping();
      const make = (client: Redis) => createOriginLimit({ burstSeconds: BURST_SECONDS, redis: client, prefix, logger: quiet });
      const [a, b] = [make(redis.redis), make(second)];
      const who = tenant();
      const waits: number[] = [];
      for (let i = 0; i < POINTS + 2; i++) waits.push(await (i % 2 ? b : a).consume(who, 'render'));
      expect(waits.slice(0, POINTS)).toEqual(Array(POINTS).fill(0));
      expect(waits.slice(POINTS).every((w) => w > 0)).toBe(true);
    } finally {
      second.disconnect();
    }
  });

  test('with Redis unreachable each instance counts on its own, at once, and never fails', async () => {
    const dead = new Redis({ port: await freePort(), host: '127.0.0.1', lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    dead.on('error', () => {});
    try {
      const limit = createOriginLimit({ burstSeconds: BURST_SECONDS, redis: dead, prefix: 'dead:', logger: quiet });
      const started = Date.now();
      const waits = await spend(limit, tenant(), POINTS + 1);
      expect(waits.slice(0, POINTS)).toEqual(Array(POINTS).fill(0));
      expect(waits[POINTS]).toBeGreaterThan(0);
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      dead.disconnect();
    }
  });
});

describe('originBudget', () => {
  test('a burst of the rate at once, in a window long enough to earn it', () => {
    expect(originBudget(5, 2)).toEqual({ points: 10, durationSeconds: 2 });
    expect(originBudget(500, 2)).toEqual({ points: 1000, durationSeconds: 2 });
    expect(originBudget(0.1, 2)).toEqual({ points: 1, durationSeconds: 10 });
    expect(originBudget(0.3, 2)).toEqual({ points: 1, durationSeconds: 4 });
    for (const [rate, burst] of [[0.7, 3], [3, 1], [20, 2], [0.05, 5]] as const) {
      const budget = originBudget(rate, burst);
      expect(budget.points / budget.durationSeconds).toBeLessThanOrEqual(rate);
    }
  });
});
