import { describe, expect, test } from 'vitest';
import { ApiError, createApiClient, type Fetch } from '../../src/editor/api-client.ts';

/** A fetch that records each call and answers with the given response. */
function recording(answer: () => Response) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchImpl: Fetch = async (url, init) => {
    calls.push({ url, init });
    return answer();
  };
  return { calls, fetchImpl };
}

const headersOf = (init: RequestInit) => init.headers as Record<string, string>;

describe('the editor’s API client', () => {
  test('writes carry the CSRF token, If-Match and Idempotency-Key; reads carry no token; the ETag comes back', async () => {
    const { calls, fetchImpl } = recording(() => new Response('{"ok":true}', { status: 200, headers: { ETag: '"r7"', 'Content-Type': 'application/json' } }));
    const api = createApiClient(fetchImpl);
    api.setCsrfToken('tok');
    const read = await api.get<{ ok: boolean }>('/me', { query: { search: 'a b', cursor: undefined } });
    expect(read).toEqual({ data: { ok: true }, etag: '"r7"' });
    await api.put('/tenants/x/pages/1/draft', { body: { title: 'T' }, ifMatch: '"r7"', idempotencyKey: 'k1' });
    expect(calls[0]!.url).toBe('/api/v1/me?search=a+b');
    expect(headersOf(calls[0]!.init)['X-CSRF-Token']).toBeUndefined();
    expect(headersOf(calls[1]!.init)).toMatchObject({ 'X-CSRF-Token': 'tok', 'If-Match': '"r7"', 'Idempotency-Key': 'k1', 'Content-Type': 'application/json' });
    expect(calls[1]!.init.body).toBe('{"title":"T"}');
  });

  test('a problem document becomes an ApiError whose fields are found by path', async () => {
    const problem = { type: 'urn:mosaic:problem:InvalidInput', title: 'Invalid input', status: 422, detail: 'The input has 2 problems.', code: 'InvalidInput', errors: [{ path: 'sections[1].props.image.alt', message: 'required' }, { path: 'title', message: 'too long' }] };
    const { fetchImpl } = recording(() => new Response(JSON.stringify(problem), { status: 422, headers: { 'Content-Type': 'application/problem+json', ETag: '"r9"' } }));
    const error = await createApiClient(fetchImpl).post('/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const failure = error as ApiError;
    expect([failure.status, failure.code, failure.message, failure.etag]).toEqual([422, 'InvalidInput', 'The input has 2 problems.', '"r9"']);
    expect(failure.at('sections[1].props.image.alt')).toBe('required');
    expect(failure.at('sections[1]')).toBe('required');
    expect(failure.at('sections[0]')).toBeUndefined();
    expect(failure.at('title')).toBe('too long');
  });

  test('a 401 tells the listeners (the session ended); an unreachable server is a clear Network error', async () => {
    let unauthorized = 0;
    const signedOut = createApiClient(recording(() => new Response('{"code":"Unauthorized","status":401,"title":"Sign-in required"}', { status: 401 })).fetchImpl);
    signedOut.onUnauthorized(() => unauthorized++);
    await expect(signedOut.get('/me')).rejects.toMatchObject({ status: 401, code: 'Unauthorized' });
    expect(unauthorized).toBe(1);
    const offline = createApiClient(async () => {
      throw new TypeError('fetch failed');
    });
    await expect(offline.get('/me')).rejects.toMatchObject({ status: 0, code: 'Network' });
  });
});
