import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.ts';

const load = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env });
const problems = (env: Record<string, string>): string => {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('accepted');
};

describe('the front’s configuration', () => {
  test.each([
    [{}, { kind: 'none' }],
    [{ TRUST_PROXY: 'false' }, { kind: 'none' }],
    [{ TRUST_PROXY: '0' }, { kind: 'none' }],
    [{ TRUST_PROXY: 'true' }, { kind: 'hops', hops: 1 }],
    [{ TRUST_PROXY: '2' }, { kind: 'hops', hops: 2 }],
    [{ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8' }, { kind: 'ranges', ranges: ['loopback', '10.0.0.0/8', 'fd00::/8'] }],
    [{ TRUST_PROXY: '192.0.2.7' }, { kind: 'ranges', ranges: ['192.0.2.7'] }],
  ])('TRUST_PROXY %j', (env, expected) => {
    expect(load(env).trustProxy).toEqual(expected);
  });

  test.each([['yes please'], ['10.0.0.0/99'], ['example.com'], ['-1']])('TRUST_PROXY=%s is refused', (value) => {
    expect(problems({ TRUST_PROXY: value })).toMatch(/TRUST_PROXY:/);
  });

  test('ADMIN_HOST defaults to admin.localhost and is normalized', () => {
    expect(load({}).adminHost).toBe('admin.localhost');
    expect(load({ ADMIN_HOST: 'Admin.Example.COM.' }).adminHost).toBe('admin.example.com');
  });

  test.each([
    [{ ADMIN_HOST: 'localhost' }, /ADMIN_HOST: must differ from PLATFORM_DOMAIN/],
    [{ ADMIN_HOST: 'sites.example', PLATFORM_DOMAIN: 'Sites.Example' }, /must differ from PLATFORM_DOMAIN/],
    [{ ADMIN_HOST: 'admin.example:8080' }, /ADMIN_HOST: must be a plain host name/],
    [{ ADMIN_HOST: '10.0.0.1' }, /ADMIN_HOST: must be a plain host name/],
    [{ ADMIN_HOST: 'me@admin.example' }, /ADMIN_HOST: must be a plain host name/],
    [{ ADMIN_HOST: 'admin.example/path' }, /ADMIN_HOST: must be a plain host name/],
  ])('ADMIN_HOST %j is refused', (env, message) => {
    expect(problems(env)).toMatch(message);
  });

  test('every problem is listed at once', () => {
    const message = problems({ ADMIN_HOST: 'localhost', TRUST_PROXY: 'nonsense', INTERNAL_PORT: '9100', METRICS_PORT: '9200' });
    expect(message).toMatch(/ADMIN_HOST/);
    expect(message).toMatch(/TRUST_PROXY/);
    expect(message).toMatch(/INTERNAL_PORT/);
  });

  test('the internal listener takes INTERNAL_PORT, or METRICS_PORT, its former name', () => {
    expect(load({}).internalPort).toBeNull();
    expect(load({ INTERNAL_PORT: '9100' }).internalPort).toBe(9100);
    expect(load({ METRICS_PORT: '9100' }).internalPort).toBe(9100);
    expect(load({ METRICS_PORT: '9100', INTERNAL_PORT: '9100' }).internalPort).toBe(9100);
  });

  test('shutdown: no delay and a ten-second drain unless told', () => {
    expect(load({}).shutdown).toEqual({ delayMs: 0, timeoutMs: 10_000 });
    expect(load({ SHUTDOWN_DELAY_MS: '2000', SHUTDOWN_TIMEOUT_MS: '30000' }).shutdown).toEqual({ delayMs: 2000, timeoutMs: 30_000 });
  });
});
