import { errorCatalog, MosaicError, type ErrorDetail, type ErrorName } from '../errors/catalog.ts';

/** The admin API of a running installation, as `mosaic --api <url>` calls it with `MOSAIC_API_KEY`. */
export interface RemoteApi {
  call<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
}

/**
 * A client for `<url>/api/v1`. A problem answer becomes the catalog error it names, so exit codes
 * and `--json` errors are the same as in local mode; an answer that is not one is `Failed`.
 */
export function remoteApi(baseUrl: string, key: string): RemoteApi {
  const root = `${baseUrl.replace(/\/+$/, '')}/api/v1`;
  return {
    async call<T>(method: string, path: string, body?: unknown): Promise<T> {
      const response = await fetch(`${root}${path}`, {
        method,
        headers: { Authorization: `Bearer ${key}`, Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      if (response.ok) return json as T;
      const code = typeof json.code === 'string' && json.code in errorCatalog ? (json.code as ErrorName) : null;
      if (!code) throw new Error(`The API answered ${response.status}: ${text.slice(0, 200)}`);
      const details = Array.isArray(json.errors) ? (json.errors as ErrorDetail[]) : [];
      throw new MosaicError(code, typeof json.detail === 'string' ? json.detail : undefined, details);
    },
  };
}
