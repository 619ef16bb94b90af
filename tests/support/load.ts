import { request, type SimpleResponse } from './server-process.ts';

export interface LoadResult {
  /** Responses by HTTP status. */
  statuses: Record<number, number>;
  /** Requests that got no HTTP answer at all (refused, reset, timed out), by message. */
  errors: Record<string, number>;
  requests: number;
  /** The longest any request waited for its whole answer (ms), and which request it was. */
  maxLatencyMs: number;
  slowest: { host: string; path: string; status: number | null; startedAt: number } | null;
  /** Answers that are neither expected nor a clean refusal (see `failures`). */
  failed: number;
}

export interface LoadOptions {
  port: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** How long the load runs. */
  durationMs: number;
  /** The request to send next (host and path); `index` counts requests. */
  next(index: number): { host: string; path: string };
  /** Statuses that count as correct answers; everything else (and no answer) counts as failed. */
  ok?: readonly number[];
  /** A request that takes longer than this is abandoned and counted as an error. */
  timeoutMs?: number;
  onResponse?(response: SimpleResponse, target: { host: string; path: string }): void;
}

/** Runs a closed-loop load: `concurrency` workers, each sending its next request when the last is answered. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const ok = new Set(options.ok ?? [200, 404]);
  const result: LoadResult = { statuses: {}, errors: {}, requests: 0, maxLatencyMs: 0, slowest: null, failed: 0 };
  const began = Date.now();
  const until = Date.now() + options.durationMs;
  let index = 0;
  const worker = async () => {
    while (Date.now() < until) {
      const target = options.next(index++);
      const started = Date.now();
      let status: number | null = null;
      try {
        const response = await withTimeout(request(options.port, target.path, { host: target.host }), options.timeoutMs ?? 10_000);
        status = response.status;
        result.statuses[response.status] = (result.statuses[response.status] ?? 0) + 1;
        if (!ok.has(response.status)) result.failed++;
        options.onResponse?.(response, target);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        result.errors[message] = (result.errors[message] ?? 0) + 1;
        result.failed++;
      }
      result.requests++;
      const latency = Date.now() - started;
      if (latency > result.maxLatencyMs) {
        result.maxLatencyMs = latency;
        result.slowest = { ...target, status, startedAt: started - began };
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return result;
}

/** One request, timed. */
export async function timed(port: number, path: string, host: string): Promise<SimpleResponse & { ms: number }> {
  const started = Date.now();
  const response = await request(port, path, { host });
  return { ...response, ms: Date.now() - started };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms))),
  ]);
}
