import type { Hono } from 'hono';

/**
 * The methods the app answers on a path, for a `405` with `Allow` instead of a `404` when a
 * route exists but not for the method asked. Built from the app's own route list on first use.
 */
export function allowedMethods(app: Pick<Hono, 'routes'>): (path: string) => string[] {
  let routes: { pattern: RegExp; method: string }[] | null = null;
  return (path) => {
    routes ??= app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => ({ method: r.method, pattern: new RegExp(`^${r.path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\/:[^/]+/g, '/[^/]+')}$`) }));
    const methods = new Set(routes.filter((r) => r.pattern.test(path)).map((r) => r.method));
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods];
  };
}
