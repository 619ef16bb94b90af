import http from 'node:http';
import type { AppServices } from '../app/app-services.ts';
import { KNOWN_METHODS, readRequestTarget } from '../request/request-target.ts';
import { internalListenerRoutes } from '../request/routes.ts';
import { handleClientErrors } from './client-errors.ts';
import { hostHeaders, parseTarget, replyStatus } from './exchange.ts';
import { SERVER_OPTIONS, type FrontState } from './http-server.ts';
import { createHealthHandlers } from './health.ts';
import { createTlsAsk } from './tls-ask.ts';

/**
 * The internal listener (INTERNAL_PORT): metrics, health and Caddy's on-demand TLS ask on a port
 * of their own, so they are never served on a tenant's domain. Any host is accepted here; the request itself is checked
 * as on the main port.
 */
export function startInternalServer(app: AppServices, port: number, host: string, state: FrontState): Promise<http.Server> {
  const health = createHealthHandlers(app, () => state.draining);
  const tlsAsk = createTlsAsk(app.tlsAllowList);
  const server = http.createServer(SERVER_OPTIONS, (req, res) => {
    const method = req.method ?? 'GET';
    if (!KNOWN_METHODS.has(method)) return replyStatus(req, res, 'NotImplemented');
    const target = readRequestTarget(req.url ?? '/', hostHeaders(req));
    if (!target.ok) return replyStatus(req, res, target.error);
    const url = parseTarget(target.path);
    const match = internalListenerRoutes(method, url.pathname);
    if (!match.found) return replyStatus(req, res, match.status === 405 ? 'MethodNotAllowed' : 'PageNotFound', match.status === 405 ? { Allow: match.allow } : null);
    const handled = match.handler === 'tls-ask' ? tlsAsk(req, res, url) : health[match.handler](req, res);
    Promise.resolve(handled).catch((error: unknown) => {
      app.logger.error({ err: error }, 'internal request failed');
      if (!res.headersSent) replyStatus(req, res, 'Internal');
    });
  });
  handleClientErrors(server, app.logger);
  return new Promise((resolve) => {
    server.listen(port, host, () => {
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      app.logger.info({ port: actual }, 'internal listener ready');
      process.send?.({ type: 'internal', port: actual });
      resolve(server);
    });
  });
}
