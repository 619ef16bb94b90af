// The load generator, always run as its own process so it never shares an event loop with a server.
// Input: one IPC message with the spec. Output: one IPC message with the result.
import http from 'node:http';
import autocannon from 'autocannon';
import { zipfSampler } from './zipf.ts';

export type LoadSpec =
  | { kind: 'fixed'; port: number; host: string; path: string; connections: number; seconds: number }
  | { kind: 'zipf'; port: number; hosts: string[]; paths: string[]; connections: number; seconds: number }
  | { kind: 'burst'; ports: number[]; host: string; path: string; count: number }
  | { kind: 'sweep'; port: number; hosts: string[]; paths: string[]; concurrency: number };

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  statuses?: Record<string, number>;
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  if (spec.kind === 'burst') return burst(spec);
  if (spec.kind === 'sweep') return sweep(spec);
  const options: autocannon.Options = {
    url: `http://127.0.0.1:${spec.port}`,
    connections: spec.connections,
    duration: spec.seconds,
  };
  if (spec.kind === 'fixed') {
    options.headers = { host: spec.host };
    options.requests = [{ method: 'GET', path: spec.path }];
  } else {
    const tenant = zipfSampler(spec.hosts.length, 1);
    const page = zipfSampler(spec.paths.length, 1);
    options.requests = [
      {
        method: 'GET',
        setupRequest: (req) => ({ ...req, path: spec.paths[page()]!, headers: { ...req.headers, host: spec.hosts[tenant()]! } }),
      },
    ];
  }
  const result = await autocannon(options);
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** `count` requests at once, spread over the ports, for the stampede. */
async function burst(b: Extract<LoadSpec, { kind: 'burst' }>): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const started = Date.now();
  const statuses: Record<string, number> = {};
  const times = await Promise.all(
    Array.from({ length: b.count }, (_, i) =>
      new Promise<number>((resolve, reject) => {
        const t0 = Date.now();
        const req = http.get({ host: '127.0.0.1', port: b.ports[i % b.ports.length], path: b.path, headers: { host: b.host }, agent }, (res) => {
          statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
          res.resume();
          res.on('end', () => resolve(Date.now() - t0));
        });
        req.on('error', reject);
      }),
    ),
  );
  times.sort((a, b2) => a - b2);
  const seconds = (Date.now() - started) / 1000;
  return {
    requestsPerSecond: b.count / seconds,
    p50: times[Math.floor(times.length * 0.5)]!,
    p99: times[Math.floor(times.length * 0.99)]!,
    non2xx: Object.entries(statuses).filter(([s]) => !s.startsWith('2')).reduce((n, [, c]) => n + c, 0),
    errors: 0,
    statuses,
  };
}

/** Every host × path once, `concurrency` at a time: fills the caches before a measurement. */
async function sweep(w: Extract<LoadSpec, { kind: 'sweep' }>): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: w.concurrency });
  const targets = w.hosts.flatMap((host) => w.paths.map((path) => ({ host, path })));
  const started = Date.now();
  let next = 0;
  let non2xx = 0;
  const worker = async () => {
    while (next < targets.length) {
      const { host, path } = targets[next++]!;
      const status = await new Promise<number>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port: w.port, path, headers: { host }, agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        }).on('error', reject);
      });
      if (status >= 300) non2xx++;
    }
  };
  await Promise.all(Array.from({ length: w.concurrency }, worker));
  return { requestsPerSecond: targets.length / ((Date.now() - started) / 1000), p50: 0, p99: 0, non2xx, errors: 0 };
}

process.once('message', (spec) =>
  run(spec as LoadSpec).then(
    (result) => {
      process.send?.(result);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  ),
);
