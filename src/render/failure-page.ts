import { isDatabaseUnavailable } from '../db/database-errors.ts';
import { isMosaicError } from '../errors/catalog.ts';
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

/**
 * The answer to a request that failed: a branded 503 with Retry-After when the database is down or
 * slow, or the server is shedding load (logged as a warning, one line, no stack); the plain 500
 * page for anything else (logged as an error). Neither names a tenant or shows a stack trace.
 */
export function failurePage(
  app: {
    logger: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
    metrics: { requestsRefused: { inc(labels: { reason: Refusal }): void } };
    config: { retryAfterSeconds: number };
  },
  error: unknown,
  path: string,
): Response {
  const refusal = refusalOf(error);
  if (!refusal) {
    app.logger.error({ err: error, path }, 'request failed');
    return statusPage('Internal');
  }
  app.metrics.requestsRefused.inc({ reason: refusal });
  app.logger.warn({ reason: refusal, path, err: error instanceof Error ? error.message : String(error) }, 'request refused');
  return statusPage(refusal === 'overloaded' ? 'Overloaded' : 'ServiceUnavailable', { 'Retry-After': String(app.config.retryAfterSeconds) });
}
