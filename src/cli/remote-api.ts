import { errorCatalog, MosaicError, type ErrorDetail, type ErrorName } from '../errors/catalog.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The admin API of a running installation, as `mosaic --api <url>` calls it with `MOSAIC_API_KEY`. */
export interface RemoteApi {
  call<T>(method: Method, path: string, body?: unknown): Promise<T>;
  /** A call whose body or answer is a file (a site archive): bytes in, bytes out. */
  transfer(method: Method, path: string, file?: { bytes: Uint8Array; contentType: string }): Promise<Buffer>;
}

/** A problem answer as the catalog error it names; an answer that is not one is `Failed`. */
function refusal(status: number, text: string): Error {
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // Not JSON: reported as is below.
  }
  const code = typeof json.code === 'string' && json.code in errorCatalog ? (json.code as ErrorName) : null;
  if (!code) return new Error(`The API answered ${status}: ${text.slice(0, 200)}`);
  const details = Array.isArray(json.errors) ? (json.errors as ErrorDetail[]) : [];
  return new MosaicError(code, typeof json.detail === 'string' ? json.detail : undefined, details);
}

/**
 * A client for `<url>/api/v1`. A problem answer becomes the catalog error it names, so exit codes
 * and `--json` errors are the same as in local mode.
 */
export function remoteApi(baseUrl: string, key: string): RemoteApi {
  const root = `${baseUrl.replace(/\/+$/, '')}/api/v1`;
  return {
    async call<T>(method: Method, path: string, body?: unknown): Promise<T> {
      const response = await fetch(`${root}${path}`, {
        method,
        headers: { Authorization: `Bearer ${key}`, Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw refusal(response.status, text);
      return (text ? JSON.parse(text) : {}) as T;
    },
    async transfer(method: Method, path: string, file?: { bytes: Uint8Array; contentType: string }): Promise<Buffer> {
      const response = await fetch(`${root}${path}`, {
        method,
        headers: { Authorization: `Bearer ${key}`, ...(file ? { 'Content-Type': file.contentType } : {}) },
        body: file ? new Uint8Array(file.bytes) : undefined,
      });
      const bytes = Buffer.from(await response.arrayBuffer());
      if (!response.ok) throw refusal(response.status, bytes.toString('utf8'));
      return bytes;
    },
  };
}
