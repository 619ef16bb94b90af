import http from 'node:http';
import type { AppServices } from '../app/app-services.ts';

/** Prometheus metrics on their own port, so they are never served on a tenant's domain. */
export function startMetricsServer(app: AppServices, port: number, host: string): Promise<http.Server> {
  const server = http.createServer(async (_req, res) => {
    const body = await app.metrics.registry.metrics();
    res.writeHead(200, { 'Content-Type': app.metrics.registry.contentType });
    res.end(body);
  });
  return new Promise((resolve) => {
    server.listen(port, host, () => {
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      app.logger.info({ port: actual }, 'metrics listening');
      process.send?.({ type: 'metrics', port: actual });
      resolve(server);
    });
  });
}
