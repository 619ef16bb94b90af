import type http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppServices } from '../app/app-services.ts';
import type { MosaicConfig } from '../config/config.ts';
import type { FrontState } from './http-server.ts';

/**
 * The drain on SIGTERM: `/readyz` answers 503 at once and every response says `Connection: close`;
 * after `delayMs` (time for a load balancer to notice) no new connection is taken; requests in
 * flight are answered (for up to `timeoutMs`, then their connections are cut); only then do the
 * database pool and Redis close.
 */
export async function drain(
  parts: { state: FrontState; server: http.Server; internal: http.Server | null; app: AppServices },
  options: MosaicConfig['shutdown'],
): Promise<void> {
  const { state, server, internal, app } = parts;
  state.draining = true;
  app.logger.info({ delayMs: options.delayMs, timeoutMs: options.timeoutMs }, 'draining');
  if (options.delayMs > 0) await sleep(options.delayMs);

  const closed = new Promise<boolean>((resolve) => server.close(() => resolve(true)));
  // A connection whose response was already under way when the drain began turns idle later.
  server.closeIdleConnections();
  const sweep = setInterval(() => server.closeIdleConnections(), 100);
  const drained = await Promise.race([closed, sleep(options.timeoutMs, false)]);
  clearInterval(sweep);
  if (!drained) {
    app.logger.warn('requests still in flight at the shutdown timeout; closing their connections');
    server.closeAllConnections();
  }
  await Promise.race([app.close(), sleep(options.timeoutMs)]);
  internal?.closeAllConnections();
  internal?.close();
  app.logger.info('stopped');
}
