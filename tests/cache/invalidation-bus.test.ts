import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, test } from 'vitest';
import type { InvalidationMessage } from '../../src/cache/invalidation-bus.ts';
import { createLocalInvalidationBus } from '../../src/cache/local-invalidation-bus.ts';
import { createRedisInvalidationBus } from '../../src/cache/redis-invalidation-bus.ts';

const clients: Redis[] = [];
const connect = () => {
  const client = new Redis(inject('redisUrl'));
  clients.push(client);
  return client;
};
afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit().catch(() => undefined)));
});

const message = (): InvalidationMessage => ({ tenantId: randomUUID(), siteVersion: 7, reason: 'publish /', origin: 'test' });

function nextMessage(subscribe: (h: (m: InvalidationMessage) => void) => () => void, timeoutMs = 1000): Promise<InvalidationMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no message within timeout')), timeoutMs);
    const off = subscribe((m) => {
      clearTimeout(timer);
      off();
      resolve(m);
    });
  });
}

describe('Redis invalidation bus', () => {
  test('a message published on one connection reaches a subscriber on another within 1 s', async () => {
    const channel = `test:inv:${randomUUID()}`;
    const warn = () => {};
    const sender = createRedisInvalidationBus({ publisher: connect(), createSubscriber: connect, channel, logger: { warn } });
    const receiver = createRedisInvalidationBus({ publisher: connect(), createSubscriber: connect, channel, logger: { warn } });
    const received = nextMessage((h) => receiver.subscribe(h));
    await receiver.ready();
    const sent = message();
    await sender.publish(sent);
    expect(await received).toEqual(sent);
    await Promise.all([sender.close(), receiver.close()]);
  });

  test('malformed messages are ignored with a warning', async () => {
    const channel = `test:inv:${randomUUID()}`;
    const warnings: string[] = [];
    const bus = createRedisInvalidationBus({ publisher: connect(), createSubscriber: connect, channel, logger: { warn: (_o, msg) => warnings.push(msg) } });
    const seen: InvalidationMessage[] = [];
    bus.subscribe((m) => seen.push(m));
    await bus.ready();
    const raw = connect();
    await raw.publish(channel, 'not json');
    await raw.publish(channel, JSON.stringify({ tenantId: 'nope', siteVersion: -1 }));
    const good = message();
    const received = nextMessage((h) => bus.subscribe(h));
    await bus.publish(good);
    expect(await received).toEqual(good);
    expect(seen).toEqual([good]);
    expect(warnings).toHaveLength(2);
    await bus.close();
  });
});

describe('local invalidation bus', () => {
  test('delivers to every handler in the process until unsubscribed', async () => {
    const bus = createLocalInvalidationBus();
    const seen: string[] = [];
    const off = bus.subscribe((m) => seen.push(`a:${m.siteVersion}`));
    bus.subscribe((m) => seen.push(`b:${m.siteVersion}`));
    await bus.publish(message());
    off();
    await bus.publish({ ...message(), siteVersion: 8 });
    expect(seen).toEqual(['a:7', 'b:7', 'b:8']);
  });
});

describe('Redis change log', () => {
  test('an instance reading the log catches changes whose pub/sub message it never got', async () => {
    const { createChangeLog } = await import('../../src/cache/change-log.ts');
    const key = `test:changes:${randomUUID()}`;
    const seen: InvalidationMessage[] = [];
    const gaps: number[] = [];
    const reader = createChangeLog({ client: connect(), key, onChange: (m) => seen.push(m), onGap: () => gaps.push(1), logger: { warn: () => {}, info: () => {} } });
    const writer = createChangeLog({ client: connect(), key, onChange: () => {}, onGap: () => {}, logger: { warn: () => {}, info: () => {} } });
    await writer.append(message());
    expect(await reader.poll()).toBe(0); // the first read only finds where the log ends
    const first = message();
    const second = { ...message(), siteVersion: 9 };
    await writer.append(first);
    await writer.append(second);
    expect(await reader.poll()).toBe(2);
    expect(seen).toEqual([first, second]);
    expect(await reader.poll()).toBe(0);
    expect(gaps).toEqual([]);
    await connect().del(key);
  });
});

describe('Redis change log after an outage', () => {
  const quietLog = { warn: () => {}, info: () => {} };
  async function setup() {
    const { createChangeLog } = await import('../../src/cache/change-log.ts');
    const key = `test:changes:${randomUUID()}`;
    const seen: number[] = [];
    const gaps: number[] = [];
    const redis = connect();
    const reader = createChangeLog({ client: redis, key, onChange: (m) => seen.push(m.siteVersion), onGap: () => gaps.push(1), logger: quietLog });
    const writer = createChangeLog({ client: redis, key, onChange: () => {}, onGap: () => {}, logger: quietLog });
    const append = (siteVersion: number) => writer.append({ ...message(), siteVersion });
    await append(1);
    await reader.poll();
    await append(2);
    await reader.poll();
    return { redis, key, reader, append, seen, gaps };
  }

  test('changes made while it could not read are applied from where it stopped, with no gap', async () => {
    const t = await setup();
    for (let v = 3; v <= 1503; v++) await t.append(v); // more than one read's worth
    expect(await t.reader.poll()).toBe(1501);
    expect(t.seen).toEqual(Array.from({ length: 1502 }, (_, i) => i + 2));
    expect(t.gaps).toEqual([]);
  });

  test('a log trimmed past the last entry read is a gap: reported once, then reading goes on', async () => {
    const t = await setup();
    await t.append(3);
    await t.append(4);
    await t.redis.xtrim(t.key, 'MAXLEN', 1); // only version 4 is left
    expect(await t.reader.poll()).toBe(1);
    expect(t.gaps).toEqual([1]);
    await t.append(5);
    expect(await t.reader.poll()).toBe(1);
    expect(t.seen).toEqual([2, 4, 5]);
    expect(t.gaps).toEqual([1]);
  });

  test('a log that Redis lost (a restart without persistence) is a gap once, and new changes are read after it', async () => {
    const t = await setup();
    await t.redis.del(t.key);
    expect(await t.reader.poll()).toBe(0);
    expect(t.gaps).toEqual([1]);
    expect(await t.reader.poll()).toBe(0);
    await t.append(1);
    expect(await t.reader.poll()).toBe(1);
    expect(t.gaps).toEqual([1]);
  });

  test('polls made while one is under way share its read', async () => {
    const t = await setup();
    await t.append(3);
    const counts = await Promise.all([t.reader.poll(), t.reader.poll(), t.reader.poll()]);
    expect(counts).toEqual([1, 1, 1]);
    expect(t.seen).toEqual([2, 3]);
  });
});
