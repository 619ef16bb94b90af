import { isDatabaseUnavailable } from '../db/database-errors.ts';
import { isMosaicError, type ErrorName } from '../errors/catalog.ts';
import { statusPage } from './status-page.ts';

export type Refusal = 'database' | 'overloaded' | 'deadline';

/** Why a failed request is the service's momentary state rather than a bug; null for a bug. */
export function refusalOf(error: unknown): Refusal | null {
  if (isMosaicError(error)) {
    if (error.code === 'Overloaded') return 'overloaded';
    if (error.code === 'ServiceUnavailable') return 'deadline';
  }
  return isDatabaseUnavailable(error) ? 'database' : null;
}

type FailureDeps = {
  logger: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  metrics: { requestsRefused: { inc(labels: { reason: Refusal }): void } };
  config: { retryAfterSeconds: number };
};

/**
 * The answer to a request that failed: a branded 503 with Retry-After when the database is down or
 * slow, or the server is shedding load (logged as a warning, one line, no stack); a catalog error
 * below 500 gets its own page; the plain 500 page for anything else (logged as an error). None
 * names a tenant or shows a stack trace. Used by the Node front and by Astro's middleware.
 */
export function failureAnswer(app: FailureDeps, error: unknown, path: string): { name: ErrorName; headers: Record<string, string> } {
  const refusal = refusalOf(error);
  // A refusal from the catalog (a bad request found late, say) is its own page, not a failure.
  if (!refusal && isMosaicError(error) && error.status !== null && error.status < 500) return { name: error.code, headers: {} };
  if (!refusal) {
    app.logger.error({ err: error, path }, 'request failed');
    return { name: 'Internal', headers: {} };
  }
  app.metrics.requestsRefused.inc({ reason: refusal });
  app.logger.warn({ reason: refusal, path, err: error instanceof Error ? error.message : String(error) }, 'request refused');
  return { name: refusal === 'overloaded' ? 'Overloaded' : 'ServiceUnavailable', headers: { 'Retry-After': String(app.config.retryAfterSeconds) } };
}

export function failurePage(app: FailureDeps, error: unknown, path: string): Response {
  const answer = failureAnswer(app, error, path);
  return statusPage(answer.name, answer.headers);
}
