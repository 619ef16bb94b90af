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
    const reader = createChangeLog({ client: connect(), key, onChange: (m) => seen.push(m), onGap: () => gaps.push(1), logger: { warn: () => {} } });
    const writer = createChangeLog({ client: connect(), key, onChange: () => {}, onGap: () => {}, logger: { warn: () => {} } });
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
