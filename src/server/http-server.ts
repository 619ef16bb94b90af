import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AppServices } from '../app/app-services.ts';
import { createStaticHandler } from './static-files.ts';

/** Astro's middleware-mode handler, as exported by the built `dist/server/entry.mjs`. */
export type AstroHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
  locals: Record<string, unknown>,
) => Promise<void>;

/**
 * The thin Node front: health checks and static files are answered here; everything else goes to
 * Astro with the process's services in `locals`.
 */
export function createHttpServer(app: AppServices, astro: AstroHandler, clientDir: string): http.Server {
  const serveStatic = createStaticHandler(clientDir);
  return http.createServer(async (req, res) => {
    try {
      const pathname = (req.url ?? '/').split('?', 1)[0];
      if (pathname === '/healthz') return plain(res, 200, 'ok');
      if (pathname === '/readyz') {
        const problem = await app.checkReady().then(
          () => null,
          (error: unknown) => (error instanceof Error ? error.message : String(error)),
        );
        if (problem) app.logger.warn({ problem }, 'not ready');
        return plain(res, problem ? 503 : 200, problem ? 'not ready' : 'ready');
      }
      if (await serveStatic(req, res)) return;
      await astro(req, res, (error) => {
        if (error) app.logger.error({ err: error }, 'unhandled request error');
        if (!res.headersSent) plain(res, error ? 500 : 404, error ? 'Internal error' : 'Not found');
      }, { mosaic: app });
    } catch (error) {
      app.logger.error({ err: error }, 'request failed');
      if (!res.headersSent) plain(res, 500, 'Internal error');
      else res.destroy();
    }
  });
}

function plain(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(body);
}
