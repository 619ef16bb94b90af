import { randomBytes } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { publishAs } from '../support/publish.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import { readCounter, request, startServer, type RunningServer, type SimpleResponse } from '../support/server-process.ts';

const home = { path: '/', title: 'Encodings', sections: [{ type: 'hero', props: { title: 'Every encoding of one page' } }] };

const decoded = (res: SimpleResponse): Buffer => {
  const encoding = res.headers['content-encoding'];
  if (encoding === 'br') return brotliDecompressSync(res.bytes);
  if (encoding === 'gzip') return gunzipSync(res.bytes);
  return res.bytes;
};

describe('compressed pages', () => {
  const dbs = openTestDatabases(2);
  const servers: RunningServer[] = [];
  let env: Record<string, string>;
  let host: string;
  let identity: Buffer;
  const get = (server: RunningServer, headers: Record<string, string> = {}, method = 'GET') => request(server.port, '/', { host, headers, method });

  beforeAll(async () => {
    const tenant = await createTestTenant(dbs.admin);
    host = `${tenant.slug}.localhost`;
    await publishAs(dbs.app, tenant.id, home);
    env = {
      DATABASE_URL: inject('appDatabaseUrl'),
      REDIS_URL: inject('redisUrl'),
      REDIS_PREFIX: `enc${randomBytes(3).toString('hex')}:`,
      INTERNAL_PORT: '0',
      TENANT_TTL_SECONDS: '600',
    };
    servers.push(await startServer(env));
    // The publish's change notice, once delivered, drops the tenant's stored pages: wait for it first.
    const backlog = await eventually(() => readCounter(servers[0]!, 'mosaic_outbox_backlog'), (pending) => pending === 0, 20_000);
    expect(backlog).toBe(0);
    const first = await get(servers[0]!, { 'accept-encoding': 'gzip, br' });
    expect(first.headers['x-mosaic-cache']).toBe('miss');
    // A miss is sent as rendered; from then on the page is held compressed.
    expect(first.headers['content-encoding']).toBeUndefined();
    identity = first.bytes;
    expect(identity.length).toBeGreaterThan(1024);
    // The miss did not wait for compression: until it is done, hits are served as identity.
    const compressed = await eventually(() => get(servers[0]!, { 'accept-encoding': 'br' }), (res) => res.headers['content-encoding'] === 'br', 5000);
    expect(compressed.headers['content-encoding']).toBe('br');
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await dbs.close();
  });

  test.each([
    ['br', 'br'],
    ['gzip', 'gzip'],
    ['gzip, deflate, br, zstd', 'br'],
    ['br;q=0, gzip', 'gzip'],
    ['*', 'br'],
    ['*;q=0', undefined],
    ['identity;q=0', undefined],
    ['deflate', undefined],
    ['', undefined],
  ])('Accept-Encoding %j is answered with %s, and decodes to the identity bytes', async (accept, expected) => {
    const res = await get(servers[0]!, accept === '' ? {} : { 'accept-encoding': accept });
    expect(res.status).toBe(200);
    expect(res.headers['x-mosaic-cache']).toBe('hit');
    expect(res.headers['content-encoding']).toBe(expected);
    expect(res.headers.vary).toBe('Accept-Encoding');
    expect(Number(res.headers['content-length'])).toBe(res.bytes.length);
    expect(decoded(res).equals(identity)).toBe(true);
    if (expected) expect(res.bytes.length).toBeLessThan(identity.length);
  });

  test('each encoding has its own ETag, and a 304 only for its own', async () => {
    const [server] = servers as [RunningServer];
    const tags: Record<string, string> = {};
    for (const accept of ['br', 'gzip', 'identity']) tags[accept] = (await get(server, { 'accept-encoding': accept })).headers.etag as string;
    expect(new Set(Object.values(tags)).size).toBe(3);
    for (const tag of Object.values(tags)) expect(tag).toMatch(/^"[\w.-]+"$/);

    for (const [accept, tag] of Object.entries(tags)) {
      const same = await get(server, { 'accept-encoding': accept, 'if-none-match': tag });
      expect(same.status, accept).toBe(304);
      expect(same.bytes.length).toBe(0);
      expect(same.headers.etag).toBe(tag);
      expect(same.headers.vary).toBe('Accept-Encoding');
    }
    const brWithGzipTag = await get(server, { 'accept-encoding': 'br', 'if-none-match': tags.gzip! });
    expect(brWithGzipTag.status).toBe(200);
    expect(brWithGzipTag.headers['content-encoding']).toBe('br');
    const identityWithBrTag = await get(server, { 'if-none-match': tags.br! });
    expect(identityWithBrTag.status).toBe(200);
    expect(identityWithBrTag.headers['content-encoding']).toBeUndefined();
  });

  test('HEAD sends the headers of the chosen encoding and no body', async () => {
    const [server] = servers as [RunningServer];
    for (const accept of ['br', 'gzip', 'identity']) {
      const full = await get(server, { 'accept-encoding': accept });
      const head = await get(server, { 'accept-encoding': accept }, 'HEAD');
      expect(head.status).toBe(200);
      expect(head.bytes.length).toBe(0);
      expect(head.headers['content-encoding']).toBe(full.headers['content-encoding']);
      expect(head.headers['content-length']).toBe(String(full.bytes.length));
      expect(head.headers.etag).toBe(full.headers.etag);
    }
  });

  test('warm hits ask neither Redis nor Postgres', async () => {
    const [server] = servers as [RunningServer];
    await get(server, { 'accept-encoding': 'br' });
    const redis = await readCounter(server, 'mosaic_redis_reads_total');
    const loads = await readCounter(server, 'mosaic_database_loads_total');
    for (let i = 0; i < 20; i++) expect((await get(server, { 'accept-encoding': i % 2 ? 'gzip' : 'br' })).headers['x-mosaic-cache']).toBe('hit');
    expect(await readCounter(server, 'mosaic_redis_reads_total')).toBe(redis);
    expect(await readCounter(server, 'mosaic_database_loads_total')).toBe(loads);
  });

  test('a second instance serves the compressed forms from Redis, without rendering', async () => {
    const brFirst = await get(servers[0]!, { 'accept-encoding': 'br' });
    const second = await startServer(env);
    servers.push(second);
    const br = await get(second, { 'accept-encoding': 'br' });
    expect(br.headers['x-mosaic-cache']).toBe('hit');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.bytes.equals(brFirst.bytes)).toBe(true);
    expect(br.headers.etag).toBe(brFirst.headers.etag);
    const plain = await get(second);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.bytes.equals(identity)).toBe(true);
    expect(await readCounter(second, 'mosaic_page_renders_total')).toBe(0);
  }, 90_000);
});
