import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { challengeName, checkChallenge, createDnsLookup, newChallengeToken } from '../../src/domains/dns-challenge.ts';
import { freePort } from '../support/free-port.ts';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.ts';

describe('DNS challenges, looked up on a real DNS server (dnsmasq)', () => {
  let dns: TestDnsServer;
  const token = newChallengeToken();

  beforeAll(async () => {
    dns = await startDnsServer(['example'], {
      [challengeName('ok.example')]: ['unrelated', token],
      [challengeName('wrong.example')]: ['someone-elses-token'],
    });
  });
  afterAll(() => dns?.stop());

  test('found among other TXT values; a wrong value and an absent name are told apart', async () => {
    const lookup = createDnsLookup([dns.address], { timeoutMs: 1000, tries: 1 });
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await checkChallenge(lookup, 'ok.example', token)).toEqual({ ok: true });
    expect(await checkChallenge(lookup, 'wrong.example', token)).toEqual({
      ok: false,
      reason: 'the TXT record at _mosaic-challenge.wrong.example does not hold the expected token',
      lookupFailed: false,
    });
    expect(await checkChallenge(lookup, 'absent.example', token)).toEqual({ ok: false, reason: 'no TXT record at _mosaic-challenge.absent.example', lookupFailed: false });
  });

  test('a resolver that does not answer is a failed lookup, not a missing record', async () => {
    const silent = createDnsLookup([`127.0.0.1:${await freePort()}`], { timeoutMs: 300, tries: 1 });
    const result = await checkChallenge(silent, 'ok.example', token);
    expect(result).toMatchObject({ ok: false, lookupFailed: true, reason: expect.stringContaining('DNS lookup of _mosaic-challenge.ok.example failed') });
  });
});
