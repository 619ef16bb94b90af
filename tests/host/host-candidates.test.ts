import { describe, expect, test } from 'vitest';
import { hostCandidates } from '../../src/host/host-candidates.ts';

describe('hostCandidates', () => {
  test.each([
    ['acme.localhost', 'localhost', 'acme'],
    ['a1-b2.localhost', 'localhost', 'a1-b2'],
    ['acme.sites.example', 'sites.example', 'acme'],
    ['acme.sites.example', 'Sites.Example.', 'acme'],
    ['acme.sites.example', 'sites.example:443', 'acme'],
    ['acme.xn--bcher-kva.example', 'Bücher.Example', 'acme'],
    ['a.b.localhost', 'localhost', null],
    ['localhost', 'localhost', null],
    ['.localhost', 'localhost', null],
    ['codersinflow.com', 'localhost', null],
    ['evillocalhost', 'localhost', null],
    ['acme.localhost.evil.com', 'localhost', null],
    ['acme.localhost', 'bad/domain', null],
    ['acme.localhost', '', null],
  ])('%s under %j → slug %s', (host, platform, slug) => {
    expect(hostCandidates(host, platform)).toEqual({ hostname: host, platformSlug: slug });
  });

  test('the platform domain defaults to localhost', () => {
    expect(hostCandidates('acme.localhost')).toEqual({ hostname: 'acme.localhost', platformSlug: 'acme' });
    expect(hostCandidates('acme.example.com')).toEqual({ hostname: 'acme.example.com', platformSlug: null });
  });
});
