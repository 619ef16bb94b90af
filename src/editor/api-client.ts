/**
 * The editor's only way to the server: the admin API (`/api/v1`, same origin, the session cookie
 * plus the session's CSRF token on state-changing calls). Errors arrive as RFC 9457 problem
 * documents and are thrown as `ApiError`, whose `errors` name the failing fields by path
 * (`sections[2].props.title`), so screens can show each message at its field.
 */

export const API_BASE = '/api/v1';

export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  /** The catalog's permanent name (`InvalidInput`, `PreconditionFailed`, …), or `Network`. */
  readonly code: string;
  readonly errors: readonly FieldError[];
  /** The whole problem document: a 412 carries the current version in it. */
  readonly problem: Record<string, unknown>;
  /** The resource's current ETag, when the server sent one with the refusal. */
  readonly etag: string | null;

  constructor(status: number, problem: Record<string, unknown>, etag: string | null) {
    super(typeof problem.detail === 'string' ? problem.detail : typeof problem.title === 'string' ? problem.title : `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = typeof problem.code === 'string' ? problem.code : `HTTP${status}`;
    this.errors = Array.isArray(problem.errors) ? (problem.errors as FieldError[]) : [];
    this.problem = problem;
    this.etag = etag;
  }

  /** The message for one field path, or for anything below it (`sections[0].props`). */
  at(path: string): string | undefined {
    return this.errors.find((e) => e.path === path || e.path.startsWith(`${path}.`) || e.path.startsWith(`${path}[`))?.message;
  }
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | undefined | null>;
  /** Sent as `If-Match`: a stale write is refused with 412 instead of overwriting. */
  ifMatch?: string | null;
  /** Sent as `Idempotency-Key` on creating calls: a retry creates nothing twice. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export interface ApiAnswer<T> {
  data: T;
  etag: string | null;
}

export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/** One client per browser tab; `fetchImpl` is swappable for tests. */
export function createApiClient(fetchImpl: Fetch = (input, init) => fetch(input, init)) {
  let csrfToken: string | null = null;
  const unauthorizedListeners = new Set<() => void>();

  async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiAnswer<T>> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
    if (options.ifMatch) headers['If-Match'] = options.ifMatch;
    if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
    let response: Response;
    try {
      response = await fetchImpl(API_BASE + path + queryString(options.query), {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        credentials: 'same-origin',
        signal: options.signal,
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiError(0, { code: 'Network', title: 'The server could not be reached. Check the connection and try again.' }, null);
    }
    const etag = response.headers.get('etag');
    const text = response.status === 204 ? '' : await response.text();
    const parsed = text ? safeJson(text) : null;
    if (!response.ok) {
      if (response.status === 401) for (const listener of unauthorizedListeners) listener();
      throw new ApiError(response.status, isRecord(parsed) ? parsed : { title: response.statusText }, etag);
    }
    return { data: parsed as T, etag };
  }

  return {
    request,
    get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, options),
    post: <T>(path: string, options?: RequestOptions) => request<T>('POST', path, options),
    put: <T>(path: string, options?: RequestOptions) => request<T>('PUT', path, options),
    patch: <T>(path: string, options?: RequestOptions) => request<T>('PATCH', path, options),
    delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, options),
    setCsrfToken(token: string | null) {
      csrfToken = token;
    },
    /** Called when any call answers 401 (the session ended): the app shows sign-in again. */
    onUnauthorized(listener: () => void): () => void {
      unauthorizedListeners.add(listener);
      return () => unauthorizedListeners.delete(listener);
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** A fresh key for one creating action (kept across its retries). */
export const newIdempotencyKey = (): string => crypto.randomUUID();

/** Path segments are encoded once, here. */
export const seg = (value: string): string => encodeURIComponent(value);

function queryString(query: RequestOptions['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
