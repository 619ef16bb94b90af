import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/server/main.ts', import.meta.url));

/** The key test servers share (production with DATABASE_URL requires one; instances must agree). */
export const TEST_SECRET_KEY = 'test-secret-key-that-is-at-least-32-bytes-long';

export interface RunningServer {
  port: number;
  /** The internal listener (metrics, health); set when started with INTERNAL_PORT. */
  metricsPort: number | null;
  child: ChildProcess;
  /** Lines the process wrote to stdout and stderr; only with `{ captureOutput: true }`. */
  output: string[];
  stop(): Promise<void>;
}

/** Generous: a cold start on a loaded two-core machine can take tens of seconds. */
const START_TIMEOUT_MS = 60_000;

/**
 * Starts a real Mosaic process (the built Astro app behind src/server/main.ts) on a free port.
 * With `captureOutput` (or a `logs` array to fill), its stdout and stderr lines are collected
 * instead of printed. `main` starts another checkout's server (benchmarks compare two).
 */
export function startServer(env: Record<string, string>, options: { captureOutput?: boolean; logs?: string[]; startTimeoutMs?: number; main?: string } = {}): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const capture = options.captureOutput === true || options.logs !== undefined;
    const child = fork(options.main ?? MAIN, [], {
      // Per-tenant origin limits, pre-rendering and the job runner are off unless a test turns them
      // on: load and failure tests render faster than any plan allows, and the suite's servers
      // share one database, whose undelivered change notices would otherwise have each new server
      // render other tests' sites, and whose due jobs (and trials, deletions) any server's runner
      // and life-cycle sweep would take from the test that made them.
      env: {
        ...process.env,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'warn',
        SECRET_KEY: TEST_SECRET_KEY,
        ORIGIN_LIMITS: 'off',
        PRERENDER_CONCURRENCY: '0',
        JOB_POLL_MS: '0',
        ...env,
      },
      stdio: capture ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const output: string[] = options.logs ?? [];
    for (const stream of [child.stdout, child.stderr]) {
      let partial = '';
      stream?.setEncoding('utf8').on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        output.push(...lines.filter(Boolean));
      });
    }
    // A server that never says it listens is killed, so a failed start leaves no process behind.
    const startTimeout = options.startTimeoutMs ?? START_TIMEOUT_MS;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${startTimeout / 1000} s`));
    }, startTimeout);
    child.once('exit', (code) => reject(new Error(`server exited early with code ${code}`)));
    let metricsPort: number | null = null;
    child.on('message', (message: { type?: string; port?: number }) => {
      if (message.type === 'internal' && message.port) metricsPort = message.port;
      if (message.type !== 'listening' || !message.port) return;
      clearTimeout(timer);
      resolve({
        port: message.port,
        get metricsPort() {
          return metricsPort;
        },
        child,
        output,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

export interface SimpleResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The body's bytes, for answers that are not text (images). */
  bytes: Buffer;
}

/** A raw HTTP request, so tests can send any Host header (fetch would refuse to). */
export function request(
  port: number,
  path: string,
  options: { host?: string; method?: string; headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number } = {},
): Promise<SimpleResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.host !== undefined) headers.host = options.host;
    const req = http.request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers, setHost: options.host === undefined }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: bytes.toString('utf8'), bytes });
      });
    });
    req.on('error', reject);
    // A server that never answers fails the test that asked, naming the request, instead of
    // holding the test until its own timeout with nothing said.
    const timeoutMs = options.timeoutMs ?? 20_000;
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${options.method ?? 'GET'} ${options.host ?? ''}${path} got no answer in ${timeoutMs} ms`)));
    if (options.body) req.write(options.body);
    req.end();
  });
}

/** The `msg` of every collected log line. */
export const logMessages = (logs: readonly string[]): string[] =>
  logs.map((line) => {
    try {
      return String((JSON.parse(line) as { msg?: unknown }).msg ?? '');
    } catch {
      return line;
    }
  });

/** Reads one counter (summed over its labels) from a server's Prometheus endpoint. */
export async function readCounter(server: RunningServer, name: string, labels = ''): Promise<number> {
  if (!server.metricsPort) throw new Error('server was started without INTERNAL_PORT');
  const text = (await request(server.metricsPort, '/metrics')).body;
  return text
    .split('\n')
    .filter((line) => line.startsWith(name) && line.includes(labels))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}
