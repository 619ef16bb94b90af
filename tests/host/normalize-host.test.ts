import { describe, expect, test } from 'vitest';
import { hostCandidates } from '../../src/host/host-candidates.ts';
import { normalizeHost } from '../../src/host/normalize-host.ts';
import { requestHost } from '../../src/host/request-host.ts';

const ok = (host: string) => ({ ok: true, host });
const bad = { ok: false };

// [input, expected]: `bad` matches any rejection (the reason is checked separately).
const CASES: [string | null | undefined, { ok: boolean; host?: string }][] = [
  ['acme.localhost', ok('acme.localhost')],
  ['ACME.LocalHost', ok('acme.localhost')],
  ['acme.localhost:4321', ok('acme.localhost')],
  ['acme.localhost:80', ok('acme.localhost')],
  ['acme.localhost.', ok('acme.localhost')],
  ['acme.localhost.:4321', ok('acme.localhost')],
  ['CodersInFlow.COM', ok('codersinflow.com')],
  ['www.codersinflow.com', ok('www.codersinflow.com')],
  ['Bücher.Example', ok('xn--bcher-kva.example')],
  ['münchen.de.', ok('xn--mnchen-3ya.de')],
  ['xn--bcher-kva.example', ok('xn--bcher-kva.example')],
  ['例え.テスト', ok('xn--r8jz45g.xn--zckzah')],
  ['a-b.c-d.example', ok('a-b.c-d.example')],
  ['localhost', ok('localhost')],
  [`${'a'.repeat(63)}.com`, ok(`${'a'.repeat(63)}.com`)],
  [`${'a'.repeat(64)}.com`, bad],
  [`${'abcdefghi.'.repeat(25)}com`, ok(`${'abcdefghi.'.repeat(25)}com`)],
  [`${'abcdefghi.'.repeat(25)}coms`, bad],
  ['x'.repeat(5000), bad],
  ['', bad],
  [null, bad],
  [undefined, bad],
  ['   ', bad],
  [' acme.localhost', bad],
  ['.', bad],
  ['..', bad],
  ['a..b', bad],
  ['.acme.com', bad],
  ['acme.com..', bad],
  ['-acme.com', bad],
  ['acme-.com', bad],
  ['acme_corp.com', bad],
  ['acme.com/evil', bad],
  ['acme.com\\evil', bad],
  ['user@acme.com', bad],
  ['acme.com?x=1', bad],
  ['acme.com#frag', bad],
  ['ac%6De.com', bad],
  ['acme.com\r\nX-Injected: 1', bad],
  ['acme.com\u0000.evil', bad],
  ['"acme.com"', bad],
  ['<script>.com', bad],
  ['acme.com, evil.com', bad],
  ['acme.com evil.com', bad],
  ['acme.com:', bad],
  ['acme.com:0', bad],
  ['acme.com:65536', bad],
  ['acme.com:80:80', bad],
  ['acme.com:http', bad],
  ['127.0.0.1', bad],
  ['127.0.0.1:4321', bad],
  ['[::1]', bad],
  ['[::1]:4321', bad],
  ['::1', bad],
];

describe('normalizeHost', () => {
  const label = (input: string | null | undefined) => JSON.stringify(input)?.slice(0, 40) ?? 'undefined';
  test.each(CASES.map(([input, expected]) => [label(input), input, expected] as const))('%s', (_label, input, expected) => {
    const result = normalizeHost(input);
    expect(result.ok).toBe(expected.ok);
    if (expected.ok) expect(result).toEqual(expected);
    else expect(result).toMatchObject({ ok: false, reason: expect.any(String) });
  });

  test('the table covers at least 30 inputs', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });
});

const headers = (entries: Record<string, string>) => new Headers(entries);
const url = (query = '') => new URL(`http://ignored.example/${query}`);

describe('requestHost', () => {
  const FORWARD_CASES: [string, Record<string, string>, boolean, string | null][] = [
    ['Host only', { host: 'acme.localhost' }, false, 'acme.localhost'],
    ['forwarded ignored without trust', { host: 'acme.localhost', 'x-forwarded-host': 'evil.example' }, false, 'acme.localhost'],
    ['forwarded used with trust', { host: 'internal:8080', 'x-forwarded-host': 'Shop.Example' }, true, 'shop.example'],
    ['first forwarded value with trust', { host: 'internal', 'x-forwarded-host': 'a.example, b.example' }, true, 'a.example'],
    ['Host when trusted proxy sends none', { host: 'acme.localhost' }, true, 'acme.localhost'],
    ['bad forwarded value rejected with trust', { host: 'acme.localhost', 'x-forwarded-host': 'evil/.example' }, true, null],
    ['bad Host rejected', { host: 'a..b' }, false, null],
  ];
  test.each(FORWARD_CASES)('%s', (_name, entries, trustProxy, expected) => {
    const result = requestHost(headers(entries), url(), { trustProxy, allowOverride: false });
    if (expected === null) expect(result.ok).toBe(false);
    else expect(result).toEqual({ ok: true, host: expected, override: null });
  });

  test('the tenant override is ignored unless allowed (development only)', () => {
    const h = headers({ host: 'acme.localhost', 'x-mosaic-tenant': 'other' });
    expect(requestHost(h, url('?tenant=other'), { trustProxy: false, allowOverride: false })).toEqual({ ok: true, host: 'acme.localhost', override: null });
    expect(requestHost(h, url('?tenant=other'), { trustProxy: false, allowOverride: true })).toEqual({ ok: true, host: 'acme.localhost', override: 'other' });
    expect(requestHost(h, url(), { trustProxy: false, allowOverride: true })).toEqual({ ok: true, host: 'acme.localhost', override: 'other' });
  });

  test('a malformed override is rejected', () => {
    const result = requestHost(headers({ host: 'acme.localhost' }), url('?tenant=../etc'), { trustProxy: false, allowOverride: true });
    expect(result.ok).toBe(false);
  });
});

describe('hostCandidates', () => {
  test.each([
    ['acme.localhost', 'localhost', 'acme'],
    ['acme.sites.example', 'sites.example', 'acme'],
    ['acme.sites.example', 'Sites.Example.', 'acme'],
    ['a.b.localhost', 'localhost', null],
    ['localhost', 'localhost', null],
    ['codersinflow.com', 'localhost', null],
    ['evillocalhost', 'localhost', null],
  ])('%s under %s → slug %s', (host, platform, slug) => {
    expect(hostCandidates(host, platform)).toEqual({ hostname: host, platformSlug: slug });
  });
});
