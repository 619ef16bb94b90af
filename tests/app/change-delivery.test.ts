import { describe, expect, test } from 'vitest';
import { createChangeDelivery } from '../../src/app/change-delivery.ts';

const TENANT = '00000000-0000-4000-8000-0000000000cc';

function setup(options: { redisDown?: boolean } = {}) {
  const steps: string[] = [];
  const delivery = createChangeDelivery({
    origin: 'test',
    platformDomain: 'example.net',
    local: (message) => void steps.push(`local ${message.paths?.join(',') ?? '-'}`),
    shared: {
      dropShared: async () => {
        if (options.redisDown) throw new Error('connection refused');
        steps.push('drop');
      },
      log: { append: async () => void steps.push('log') },
      bus: { publish: async (message) => void steps.push(`publish ${message.paths?.join(',') ?? '-'}`) },
    },
  });
  return { delivery, steps };
}

describe('delivering a change', () => {
  test('this process hears of it after the shared copies are gone, so what it reloads at once is new; the paths travel with it', async () => {
    const t = setup();
    expect(await t.delivery.deliver({ tenantId: TENANT, siteVersion: 2, reason: 'publish', paths: ['/about'] })).toBe(true);
    expect(t.steps).toEqual(['drop', 'local /about', 'log', 'publish /about']);
  });

  test('with Redis down this process still forgets what it holds, and the change is left to retry', async () => {
    const t = setup({ redisDown: true });
    expect(await t.delivery.deliver({ tenantId: TENANT, siteVersion: 2, reason: 'publish' })).toBe(false);
    expect(t.steps).toEqual(['local -']);
  });

  test('a change of more pages than an announcement names carries none', async () => {
    const t = setup();
    const paths = Array.from({ length: 101 }, (_, i) => `/p${i}`);
    await t.delivery.deliver({ tenantId: TENANT, siteVersion: 2, reason: 'publish', paths });
    expect(t.steps).toEqual(['drop', 'local -', 'log', 'publish -']);
  });
});
