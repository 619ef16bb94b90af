import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWrkOutput, runWrk, wrkScript } from '../../bench/wrk.ts';

// The bench's wrk driver: the Lua script it generates, what it reads back, and a real wrk run
// against a server that records what it was sent (figures are not asserted, only correctness).
const draws = (script: string) =>
  /local draws = \{ ([\d,]+) \}/
    .exec(script)![1]!
    .split(',')
    .map(Number);

describe('wrk script', () => {
  it('draws (host, path) pairs Zipf-like: the first host most often, later ranks less', () => {
    const hosts = Array.from({ length: 100 }, (_, i) => `h${i}.localhost`);
    const paths = ['/', '/a', '/b'];
    const table = draws(wrkScript({ hosts, paths }));
    const perHost = new Array<number>(hosts.length).fill(0);
    const perPath = new Array<number>(paths.length).fill(0);
    for (const k of table) {
      perHost[Math.floor((k - 1) / paths.length)]!++;
      perPath[(k - 1) % paths.length]!++;
    }
    expect(table.every((k) => k >= 1 && k <= hosts.length * paths.length)).toBe(true);
    // s = 1: rank 1 is drawn about twice as often as rank 2 and ten times as often as rank 10.
    expect(perHost[0]! / perHost[1]!).toBeGreaterThan(1.8);
    expect(perHost[0]! / perHost[1]!).toBeLessThan(2.2);
    expect(perHost[0]! / perHost[9]!).toBeGreaterThan(8);
    expect(perPath[0]!).toBeGreaterThan(perPath[1]!);
    expect(perPath[1]!).toBeGreaterThan(perPath[2]!);
  });

  it('is the same for the same input, so two runs send the same sequence', () => {
    const spec = { hosts: ['a', 'b', 'c'], paths: ['/'] };
    expect(wrkScript(spec)).toBe(wrkScript(spec));
  });

  it('reads the figures the script prints and refuses output without them', () => {
    const result = parseWrkOutput('Running 1s test\nWRK_JSON {"requests":5000,"duration_us":2000000,"p50_us":1234,"p99_us":5678,"non2xx":3,"errors":1}\n');
    expect(result).toEqual({ requestsPerSecond: 2500, p50: 1.23, p99: 5.68, non2xx: 3, errors: 1 });
    expect(() => parseWrkOutput('Running 1s test\n')).toThrow(/no result/);
  });
});

describe('wrk run', () => {
  const seen = new Map<string, number>();
  let server: http.Server;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const key = `${req.headers.host} ${req.url} ${req.headers['accept-encoding'] ?? '-'}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'Content-Length': 2 }).end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends each drawn Host and path with the extra headers, and counts error statuses', async () => {
    const port = (server.address() as AddressInfo).port;
    const result = await runWrk({ port, hosts: ['one.localhost', 'two.localhost'], paths: ['/', '/missing'], headers: { 'Accept-Encoding': 'br' }, seconds: 1, connections: 4 });
    const total = [...seen.values()].reduce((a, b) => a + b, 0);
    expect(result.requestsPerSecond).toBeGreaterThan(0);
    expect(new Set(seen.keys())).toEqual(new Set(['one.localhost / br', 'one.localhost /missing br', 'two.localhost / br', 'two.localhost /missing br']));
    expect(seen.get('one.localhost / br')!).toBeGreaterThan(seen.get('two.localhost / br')!);
    // Every 404 the server sent is counted; wrk stops mid-request at the end, so allow a few.
    const missing = (seen.get('one.localhost /missing br') ?? 0) + (seen.get('two.localhost /missing br') ?? 0);
    expect(Math.abs(result.non2xx - missing)).toBeLessThanOrEqual(4);
    expect(result.non2xx).toBeGreaterThan(0);
    expect(total).toBeGreaterThan(0);
  });
});
