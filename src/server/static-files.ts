import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import send from 'send';

/**
 * Serves Astro's built client assets and public files (logos, favicons) from `dist/client`.
 * Hashed `/_astro/` files never change, so browsers may keep them for a year.
 */
export function createStaticHandler(clientDir: string) {
  const root = path.resolve(clientDir);
  return async function serveStatic(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const pathname = safeDecode(new URL(req.url ?? '/', 'http://static').pathname);
    if (pathname === null) return false;
    const file = path.resolve(root, `.${pathname}`);
    if (!file.startsWith(`${root}${path.sep}`)) return false;
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return false;
    const immutable = pathname.startsWith('/_astro/');
    await new Promise<void>((resolve) => {
      send(req, pathname, { root, dotfiles: 'deny', index: false, immutable, maxAge: immutable ? '365d' : '1h' })
        .on('error', () => {
          res.statusCode = 404;
          res.end();
          resolve();
        })
        .on('end', resolve)
        .pipe(res);
    });
    return true;
  };
}

function safeDecode(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return null;
  }
}
