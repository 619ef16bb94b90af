import { describe, expect, test } from 'vitest';
import { createRedisBreaker, isBreakerRefusal } from '../../src/cache/redis-breaker.ts';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fail = () => Promise.reject(new Error('Connection is closed.'));

describe('Redis breaker', () => {
  test('opens after repeated failures, then refuses at once without asking Redis', async () => {
    const breaker = createRedisBreaker({ retryAfterMs: 10_000, name: 'test' });
    const states: string[] = [];
    breaker.onStateChange((s) => states.push(s));
    for (let i = 0; i < 3; i++) await breaker.run(fail).catch(() => undefined);
    expect(breaker.state).toBe('open');
    expect(breaker.available).toBe(false);
    let asked = false;
    const refused = await breaker.run(async () => (asked = true)).catch((e: unknown) => e);
    expect(isBreakerRefusal(refused)).toBe(true);
    expect(asked).toBe(false);
    expect(states).toEqual(['open']);
    breaker.shutdown();
  });

  test('after the retry interval one command probes Redis: success closes, failure opens again', async () => {
    const breaker = createRedisBreaker({ retryAfterMs: 50, name: 'test' });
    breaker.trip();
    await wait(70);
    expect(breaker.state).toBe('half-open');
    await breaker.run(fail).catch(() => undefined);
    expect(breaker.state).toBe('open');
    await wait(70);
    const [probe, other] = await Promise.allSettled([breaker.run(() => wait(10).then(() => 'pong')), breaker.run(async () => 'second')]);
    expect(probe).toEqual({ status: 'fulfilled', value: 'pong' });
    expect(other.status === 'rejected' && isBreakerRefusal(other.reason)).toBe(true); // one probe at a time
    expect(breaker.state).toBe('closed');
    breaker.shutdown();
  });

  test('an answer from Redis that is an error (a bad command) is not an outage', async () => {
    const breaker = createRedisBreaker({ retryAfterMs: 10_000, name: 'test' });
    const replyError = () => Promise.reject(Object.assign(new Error('WRONGTYPE'), { name: 'ReplyError' }));
    for (let i = 0; i < 10; i++) await breaker.run(replyError).catch(() => undefined);
    expect(breaker.state).toBe('closed');
    breaker.shutdown();
  });

  test('trip and reset follow the connection without waiting for failures', async () => {
    const breaker = createRedisBreaker({ retryAfterMs: 10_000, name: 'test' });
    breaker.trip();
    expect(breaker.available).toBe(false);
    breaker.reset();
    expect(await breaker.run(async () => 'ok')).toBe('ok');
    breaker.shutdown();
  });
});
