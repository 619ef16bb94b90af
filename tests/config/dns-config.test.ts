import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.ts';

const load = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env });

describe('DNS_RESOLVERS', () => {
  test.each([
    [{}, []],
    [{ DNS_RESOLVERS: '1.1.1.1' }, ['1.1.1.1']],
    [{ DNS_RESOLVERS: ' 127.0.0.1:5353 , 9.9.9.9 ' }, ['127.0.0.1:5353', '9.9.9.9']],
    [{ DNS_RESOLVERS: '[2606:4700::1111]:53,::1' }, ['[2606:4700::1111]:53', '::1']],
  ])('%j is read as a list of resolvers', (env, expected) => {
    expect(load(env).dnsResolvers).toEqual(expected);
  });

  test('names, bad ports and junk are refused, each listed', () => {
    let message = '';
    try {
      load({ DNS_RESOLVERS: 'dns.google,1.1.1.1:0,300.1.1.1,[::1]:99999' });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      message = error.message;
    }
    for (const bad of ['dns.google', '1.1.1.1:0', '300.1.1.1', '[::1]:99999']) expect(message).toContain(`DNS_RESOLVERS: "${bad}"`);
  });
});
