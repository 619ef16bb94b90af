import { describe, expect, test } from 'vitest';
import { DEFAULT_RETRY_AFTER_SECONDS, problemFor, problemResponse } from '../../src/api/problem.ts';
import { MosaicError } from '../../src/errors/catalog.ts';

const pgError = (code: string, message = 'from the server') => Object.assign(new Error(message), { code });

describe('errors as problem documents', () => {
  test('the database unavailable, or a write that kept losing a race, is a 503 with Retry-After, not a 500', async () => {
    for (const error of [pgError('57P01'), pgError('57014'), pgError('40P01', 'deadlock detected'), pgError('40001'), pgError('ECONNREFUSED'), new Error('Connection terminated unexpectedly')]) {
      const problem = problemFor(error, 7);
      expect(problem, String(error)).toMatchObject({ status: 503, code: 'ServiceUnavailable', retryAfterSeconds: 7 });
      // What the server knows stays in the log.
      expect(problem.detail).not.toContain(error.message);
      const response = problemResponse(problem);
      expect(response.headers.get('retry-after')).toBe('7');
    }
    expect(problemFor(pgError('57P01')).retryAfterSeconds).toBe(DEFAULT_RETRY_AFTER_SECONDS);
  });

  test('anything else unknown is a 500 that says nothing of the cause; catalog errors keep their status', () => {
    const internal = problemFor(pgError('23502', 'null value in column "secret_column"'));
    expect(internal).toMatchObject({ status: 500, code: 'Internal' });
    expect(JSON.stringify(internal)).not.toContain('secret_column');
    expect(internal.retryAfterSeconds).toBeUndefined();
    expect(problemFor(new MosaicError('NotFound'))).toMatchObject({ status: 404, code: 'NotFound' });
  });
});
