import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { request, startServer, type RunningServer, type SimpleResponse } from './server-process.ts';

export const ADMIN_HOST = 'admin.localhost';
export const ADMIN_ORIGIN = `http://${ADMIN_HOST}`;

/** A server on the suite's Postgres and Redis, with a Redis prefix of its own so its counts start at zero. */
export function startApiServer(env: Record<string, string> = {}, options: { startTimeoutMs?: number } = {}): Promise<RunningServer> {
  return startServer({
    DATABASE_URL: inject('appDatabaseUrl'),
    REDIS_URL: inject('redisUrl'),
    REDIS_PREFIX: `api${randomBytes(4).toString('hex')}:`,
    ADMIN_HOST,
    PAGE_CACHE: 'off',
    ...env,
  }, options);
}

export interface ApiResponse extends SimpleResponse {
  /** The body parsed as JSON, or null when it is not JSON. */
  json: any;
}

export interface CallOptions {
  body?: unknown;
  /** Sent as is (a malformed body, a file); otherwise `body` is sent as JSON. */
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
}

/**
 * Calls the admin API as a browser with a session (cookie + CSRF token, same origin) or as a
 * key holder (`Authorization: Bearer`), or anonymously.
 */
export class ApiClient {
  cookie: string | null = null;
  csrfToken: string | null = null;
  apiKey: string | null = null;

  readonly port: number;

  constructor(port: number) {
    this.port = port;
  }

  static withKey(port: number, key: string): ApiClient {
    const client = new ApiClient(port);
    client.apiKey = key;
    return client;
  }

  async call(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { origin: ADMIN_ORIGIN, ...this.credentials(), ...options.headers };
    let body: string | Buffer | undefined = options.rawBody;
    if (body === undefined && options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const response = await request(this.port, `/api/v1${path}`, { host: ADMIN_HOST, method, headers, body });
    const setCookie = response.headers['set-cookie']?.find((c) => c.startsWith('mosaic_session='));
    if (setCookie) this.cookie = setCookie.split(';')[0]!.slice('mosaic_session='.length) || null;
    let json: any = null;
    try {
      json = JSON.parse(response.body);
    } catch {
      json = null;
    }
    // A new session comes with its own CSRF token.
    if (setCookie && typeof json?.csrfToken === 'string') this.csrfToken = json.csrfToken;
    return { ...response, json };
  }

  /** Signs in; keeps the cookie and the CSRF token for later calls. */
  async signIn(email: string, password: string): Promise<ApiResponse> {
    return this.call('POST', '/session', { body: { email, password } });
  }

  private credentials(): Record<string, string> {
    const headers: Record<string, string> = {};
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    if (this.cookie) headers.cookie = `mosaic_session=${this.cookie}`;
    if (this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    return headers;
  }
}
