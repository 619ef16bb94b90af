import { describe, expect, test } from 'vitest';
import { checkReadiness, readinessAnswer } from '../../src/app/readiness.ts';

const ok = async () => 'ok';
const down = async () => Promise.reject(new Error('down'));

describe('/readyz', () => {
  test.each([
    ['everything answers', ok, ok, 200, 'ready'],
    ['no Redis configured', ok, null, 200, 'ready'],
    ['Redis down: pages still work', ok, down, 200, 'degraded: redis unavailable'],
    ['database down', down, ok, 503, 'not ready: database unavailable'],
    ['both down', down, down, 503, 'not ready: database unavailable, redis unavailable'],
  ] as const)('%s', async (_name, database, redis, status, body) => {
    const report = await checkReadiness({ database, redis });
    expect(readinessAnswer(report)).toEqual({ status, body });
  });
});
