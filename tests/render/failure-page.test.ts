import { describe, expect, test } from 'vitest';
import { MosaicError } from '../../src/errors/catalog.ts';
import { failurePage, refusalOf } from '../../src/render/failure-page.ts';

function app() {
  const lines: { level: string; msg: string }[] = [];
  const refused: string[] = [];
  return {
    lines,
    refused,
    logger: { warn: (_o: object, msg: string) => lines.push({ level: 'warn', msg }), error: (_o: object, msg: string) => lines.push({ level: 'error', msg }) },
    metrics: { requestsRefused: { inc: ({ reason }: { reason: string }) => refused.push(reason) } },
    config: { retryAfterSeconds: 7 },
  };
}

const pgError = (code: string, message = 'pg') => Object.assign(new Error(message), { code });

describe('failure page', () => {
  test.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), 'database'],
    ['an administrator’s kill', pgError('57P01', 'terminating connection due to administrator command'), 'database'],
    ['a statement timeout', pgError('57014', 'canceling statement due to statement timeout'), 'database'],
    ['a lock timeout', pgError('55P03', 'canceling statement due to lock timeout'), 'database'],
    ['no pooled connection in time', new Error('timeout exceeded when trying to connect'), 'database'],
    ['a dropped connection', new Error('Connection terminated unexpectedly'), 'database'],
    ['both addresses refused', new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })], 'all failed'), 'database'],
    ['load shed', new MosaicError('Overloaded'), 'overloaded'],
    ['a render past its deadline', new MosaicError('ServiceUnavailable'), 'deadline'],
  ])('%s is a 503 with Retry-After, logged as a warning', async (_name, error, reason) => {
    const a = app();
    expect(refusalOf(error)).toBe(reason);
    const response = failurePage(a, error, '/x');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = await response.text();
    expect(body).toContain(reason === 'overloaded' ? '<title>Busy</title>' : '<title>Temporarily unavailable</title>');
    if (!(error instanceof MosaicError)) expect(body).not.toContain(error.message);
    expect(a.lines).toEqual([{ level: 'warn', msg: 'request refused' }]);
    expect(a.refused).toEqual([reason]);
  });

  test.each([
    ['a bug', new TypeError('x is undefined')],
    ['bad data in the database', pgError('23505', 'duplicate key value')],
    ['a syntax error', pgError('42601', 'syntax error')],
  ])('%s stays a plain 500, logged as an error', async (_name, error) => {
    const a = app();
    expect(refusalOf(error)).toBeNull();
    const response = failurePage(a, error, '/x');
    expect(response.status).toBe(500);
    expect(response.headers.get('retry-after')).toBeNull();
    expect(await response.text()).not.toContain(error.message);
    expect(a.lines).toEqual([{ level: 'error', msg: 'request failed' }]);
  });
});
