import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import { fuzzRequests, isDesignedServerError, seededRandom, type FuzzRequest, type FuzzTenant } from '../support/fuzz-requests.ts';
import { publishAs } from '../support/publish.ts';
import { parseResponse, type RawResponse } from '../support/raw-http.ts';
import { startServer, type RunningServer } from '../support/server-process.ts';

// Bounded so the suite stays fast on a busy machine; FUZZ_REQUESTS=20000 for a longer run.
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 2000);
const CONCURRENCY = 16;
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const STACK_TRACE = /\n\s+at .+:\d+:\d+|\b(?:Type|Reference|Syntax|Range)?Error: /;

/** The bytes after any interim answers (`100 Continue` to `Expect: 100-continue`). */
function finalResponse(data: Buffer): Buffer {
  let rest = data;
  while (/^HTTP\/1\.1 1\d\d /.test(rest.toString('latin1', 0, 13))) {
    const end = rest.indexOf('\r\n\r\n');
    if (end === -1) break;
    rest = rest.subarray(end + 4);
  }
  return rest;
}

/** Sends the bytes on a connection of their own and reads until the server closes it. */
function send(port: number, { bytes, method }: FuzzRequest): Promise<Omit<RawResponse, 'closed'> | 'no answer' | 'timeout'> {
  return new Promise((resolve) => {
    // Not `end`: a client that half-closes may be dropped before its answer; `Connection: close` ends it.
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('timeout');
    }, 20_000);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parseResponse(finalResponse(Buffer.concat(chunks)), true, method === 'HEAD') ?? 'no answer');
    });
  });
}

/** Every problem with one answer; empty when it is fine. */
function problems(request: FuzzRequest, answer: Awaited<ReturnType<typeof send>>, tenants: readonly FuzzTenant[]): string[] {
  if (typeof answer === 'string') return [answer];
  const found: string[] = [];
  if (answer.status >= 500 && !isDesignedServerError(answer.status, request.method)) found.push(`status ${answer.status}`);
  const text = `${Object.values(answer.headers).flat().join('\n')}\n${answer.body}`.toLowerCase();
  for (const tenant of tenants) {
    if (!request.named.includes(tenant) && text.includes(tenant.slug)) found.push(`names ${tenant.slug}, which the request did not`);
  }
  if (STACK_TRACE.test(answer.body)) found.push('stack trace in the body');
  // A page from the cache (or stored in it) must be the page of the host that asked for it.
  if (answer.headers['x-mosaic-cache'] && request.hostTenant && !answer.body.includes(`Tenant ${request.hostTenant.slug}`)) {
    if (request.method !== 'HEAD' && answer.status !== 304) found.push(`a ${answer.headers['x-mosaic-cache'][0]} page that is not ${request.hostTenant.slug}'s (${answer.status} ${/<title>[^<]*/.exec(answer.body)?.[0]})`);
  }
  return found;
}

describe('HTTP fuzz: random hosts, targets, methods, headers and bodies against a running server', () => {
  const dbs = openTestDatabases(2);
  let server: RunningServer;
  let tenants: [FuzzTenant, FuzzTenant];

  beforeAll(async () => {
    const made = await Promise.all([createTestTenant(dbs.admin), createTestTenant(dbs.admin)]);
    tenants = made.map(({ slug }) => ({ slug, host: `${slug}.test` })) as [FuzzTenant, FuzzTenant];
    for (const { id, slug } of made) {
      for (const path of ['/', '/about']) {
        await publishAs(dbs.app, id, { path, title: `Page of ${slug}`, sections: [{ type: 'hero', props: { title: `Welcome to ${slug}` } }] });
      }
    }
    server = await startServer({
      DATABASE_URL: inject('appDatabaseUrl'),
      REDIS_URL: inject('redisUrl'),
      REDIS_PREFIX: `fz${randomBytes(3).toString('hex')}:`,
      // The load is the point: nothing may be shed or cut short on a busy machine.
      RENDER_DEADLINE_MS: '20000',
      RENDER_QUEUE: '1000',
    });
  });
  afterAll(async () => {
    await server?.stop();
    await dbs.close();
  });

  test(`${REQUESTS} requests (seed ${SEED}): no 5xx, no other tenant, no stack trace, no page for another host`, async () => {
    const next = fuzzRequests(seededRandom(SEED), tenants);
    const requests = Array.from({ length: REQUESTS }, next);
    const failures: string[] = [];
    const statuses: Record<number, number> = {};
    let hits = 0;
    let cursor = 0;
    const worker = async () => {
      while (cursor < requests.length) {
        const request = requests[cursor++]!;
        const answer = await send(server.port, request);
        if (typeof answer !== 'string') {
          statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
          if (answer.headers['x-mosaic-cache']?.[0] === 'hit') hits++;
        }
        for (const problem of problems(request, answer, tenants)) failures.push(`${problem}: ${request.summary}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    expect(failures.slice(0, 20), `seed ${SEED}; replay with FUZZ_SEED=${SEED}`).toEqual([]);
    // The mix reached the pages (from the cache too) and the refusals, not only one of them.
    expect(statuses[200]).toBeGreaterThan(REQUESTS / 10);
    expect(hits).toBeGreaterThan(REQUESTS / 10);
    expect(statuses[400]).toBeGreaterThan(0);
    expect(statuses[404]).toBeGreaterThan(0);
    expect(Object.values(statuses).reduce((a, b) => a + b, 0)).toBeGreaterThan(REQUESTS * 0.95);
  }, 120_000);
});
