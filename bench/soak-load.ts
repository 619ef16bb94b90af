// The soak's load generator, run as its own process so it never shares an event loop with the
// server. Input: one IPC message with the spec. Output: a `tally` message every `reportMs`, and a
// final one before it exits.
import http from 'node:http';
import net from 'node:net';
import { UNKNOWN_METHOD, type SoakTally } from './soak-tally.ts';
import { zipfSampler } from './zipf.ts';

export interface SoakLoadSpec {
  port: number;
  /** Tenant hosts, most popular first (warm pages follow Zipf over them). */
  hosts: string[];
  paths: string[];
  seconds: number;
  concurrency: number;
  /** Requests per second over all workers, at most. */
  rate: number;
  reportMs: number;
}


interface Shot {
  kind: string;
  send(port: number): Promise<number>;
}

const random = (n: number) => Math.floor(Math.random() * n);
const token = () => Math.random().toString(36).slice(2, 10);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function httpShot(kind: string, options: { method?: string; path: string; host: string; headers?: Record<string, string>; body?: string | Buffer }): Shot {
  return {
    kind,
    send: (port) =>
      new Promise((resolve, reject) => {
        const req = http.request(
          { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: { host: options.host, ...options.headers }, agent, setHost: false },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(options.body);
      }),
  };
}

/** Bytes `http` refuses to send (several Host lines, a bad request line), over a socket of their own. */
function rawShot(kind: string, bytes: string): Shot {
  return {
    kind,
    send: (port) =>
      new Promise((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
        let head = '';
        socket.setTimeout(10_000, () => socket.destroy(new Error('timeout')));
        socket.on('data', (chunk: Buffer) => {
          head += chunk.toString('latin1');
          const status = /^HTTP\/1\.[01] (\d{3})/.exec(head);
          if (status) {
            socket.destroy();
            resolve(Number(status[1]));
          }
        });
        socket.on('error', reject);
        socket.on('close', () => reject(new Error('closed without a response')));
      }),
  };
}

function contactBody(page: string): string {
  return new URLSearchParams({ name: `Soak ${token()}`, email: `soak-${token()}@example.com`, message: `Hello ${token()}`, page }).toString();
}

/** Requests that try the front's limits: they must be refused cleanly, never with a 5xx. */
function hostileShot(spec: SoakLoadSpec): Shot {
  const site = spec.hosts[random(spec.hosts.length)]!;
  const choices: (() => Shot)[] = [
    () => httpShot('hostile', { path: '/', host: `${'a'.repeat(70)}.${token()}..localhost` }),
    () => httpShot('hostile', { path: '/', host: `user@${site}:99999` }),
    () => httpShot(UNKNOWN_METHOD, { method: 'BREW', path: '/', host: site }),
    () => httpShot('hostile', { method: 'DELETE', path: '/', host: site }),
    () => httpShot('hostile', { path: `/${'../'.repeat(20)}etc/passwd`, host: site }),
    () => httpShot('hostile', { path: `/%2e%2e/%00/${'x'.repeat(4000)}`, host: site }),
    () => httpShot('hostile', { path: '/', host: site, headers: { 'x-junk': 'j'.repeat(6000), 'x-forwarded-host': 'evil.example' } }),
    () =>
      httpShot('hostile', {
        method: 'POST',
        path: '/_mosaic/forms/contact',
        host: site,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: Buffer.alloc(256 * 1024, 'a'),
      }),
    () => rawShot('hostile', `GET / HTTP/1.1\r\nHost: ${site}\r\nHost: evil.localhost\r\nConnection: close\r\n\r\n`),
    () => rawShot('hostile', `GET http://evil.localhost/ HTTP/1.1\r\nHost: ${site}\r\nConnection: close\r\n\r\n`),
    () => rawShot(UNKNOWN_METHOD, `GARBAGE\r\n\r\n`),
  ];
  return choices[random(choices.length)]!();
}

/** The mix: mostly warm pages, then cold pages, unknown paths and hosts, hostile requests and form posts. */
function mix(spec: SoakLoadSpec): () => Shot {
  const popular = zipfSampler(spec.hosts.length, 1.1);
  const page = zipfSampler(spec.paths.length, 1);
  const table: [weight: number, make: () => Shot][] = [
    [60, () => httpShot('warm', { path: spec.paths[page()]!, host: spec.hosts[popular()]! })],
    [10, () => httpShot('cold', { path: spec.paths[random(spec.paths.length)]!, host: spec.hosts[random(spec.hosts.length)]! })],
    [10, () => httpShot('unknown-path', { path: `/missing/${token()}`, host: spec.hosts[random(spec.hosts.length)]! })],
    [7, () => httpShot('unknown-host', { path: '/', host: `${token()}.localhost` })],
    [3, () =>
      httpShot('form', {
        method: 'POST',
        path: '/_mosaic/forms/contact',
        host: spec.hosts[popular()]!,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: contactBody('/'),
      })],
    [10, () => hostileShot(spec)],
  ];
  const total = table.reduce((sum, [weight]) => sum + weight, 0);
  return () => {
    let pick = Math.random() * total;
    for (const [weight, make] of table) {
      pick -= weight;
      if (pick < 0) return make();
    }
    return table[0]![1]();
  };
}

async function run(spec: SoakLoadSpec): Promise<void> {
  const tally: SoakTally = {};
  const next = mix(spec);
  const deadline = Date.now() + spec.seconds * 1000;
  const gapMs = (spec.concurrency / spec.rate) * 1000;
  const report = setInterval(() => process.send?.({ type: 'tally', tally }), spec.reportMs);
  const worker = async () => {
    while (Date.now() < deadline) {
      const started = Date.now();
      const shot = next();
      const row = (tally[shot.kind] ??= { sent: 0, statuses: {}, connectionErrors: 0 });
      row.sent++;
      try {
        const status = await shot.send(spec.port);
        row.statuses[status] = (row.statuses[status] ?? 0) + 1;
      } catch {
        row.connectionErrors++;
      }
      const wait = gapMs - (Date.now() - started);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, worker));
  clearInterval(report);
  process.send?.({ type: 'done', tally }, () => process.exit(0));
}

process.once('message', (spec) =>
  run(spec as SoakLoadSpec).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  }),
);
