import { describe, expect, test } from 'vitest';
import { requestHost, type RequestHostResult } from '../../src/host/request-host.ts';

const url = (query = '') => new URL(`http://ignored.example/page${query}`);
const ok = (host: string, override: string | null = null): RequestHostResult => ({ ok: true, host, override });
const bad = (reason: string): RequestHostResult => ({ ok: false, reason });

type Case = [name: string, headers: Record<string, string>, query: string, options: { trustProxy: boolean; allowOverride: boolean }, expected: RequestHostResult];
const plain = { trustProxy: false, allowOverride: false };
const proxied = { trustProxy: true, allowOverride: false };
const dev = { trustProxy: false, allowOverride: true };

const CASES: Case[] = [
  ['Host only', { host: 'Acme.Localhost:4321' }, '', plain, ok('acme.localhost')],
  ['no Host at all', {}, '', plain, bad('missing host')],
  ['bad Host rejected', { host: 'a..b' }, '', plain, bad('empty label')],
  ['Host with two values', { host: 'acme.com, evil.com' }, '', plain, bad('multiple hosts')],
  ['forwarded ignored without trust', { host: 'acme.localhost', 'x-forwarded-host': 'evil.example' }, '', plain, ok('acme.localhost')],
  ['bad forwarded ignored without trust', { host: 'acme.localhost', 'x-forwarded-host': 'evil/x' }, '', plain, ok('acme.localhost')],
  ['forwarded used with trust', { host: 'internal:8080', 'x-forwarded-host': 'Shop.Example:443' }, '', proxied, ok('shop.example')],
  ['first forwarded value with trust', { host: 'internal', 'x-forwarded-host': ' a.example , b.example' }, '', proxied, ok('a.example')],
  ['Host when a trusted proxy sends none', { host: 'acme.localhost' }, '', proxied, ok('acme.localhost')],
  ['bad forwarded value rejected with trust', { host: 'acme.localhost', 'x-forwarded-host': 'evil/.example' }, '', proxied, bad('invalid characters in host')],
  ['empty first forwarded value rejected', { host: 'acme.localhost', 'x-forwarded-host': ', b.example' }, '', proxied, bad('empty host')],
  ['override ignored in production', { host: 'acme.localhost', 'x-mosaic-tenant': 'other' }, '?tenant=other', plain, ok('acme.localhost')],
  ['malformed override ignored in production', { host: 'acme.localhost' }, '?tenant=../etc', plain, ok('acme.localhost')],
  ['query override in development', { host: 'acme.localhost' }, '?tenant=other', dev, ok('acme.localhost', 'other')],
  ['header override in development', { host: 'acme.localhost', 'x-mosaic-tenant': 'other-2' }, '', dev, ok('acme.localhost', 'other-2')],
  ['query override wins over header', { host: 'acme.localhost', 'x-mosaic-tenant': 'header' }, '?tenant=query', dev, ok('acme.localhost', 'query')],
  ['no override in development', { host: 'acme.localhost' }, '', dev, ok('acme.localhost')],
  ['path-like override rejected', { host: 'acme.localhost' }, '?tenant=../etc', dev, bad('invalid tenant override')],
  ['upper-case override rejected', { host: 'acme.localhost' }, '?tenant=Acme', dev, bad('invalid tenant override')],
  ['empty override rejected', { host: 'acme.localhost' }, '?tenant=', dev, bad('invalid tenant override')],
  ['overlong override rejected', { host: 'acme.localhost' }, `?tenant=${'a'.repeat(64)}`, dev, bad('invalid tenant override')],
  ['hyphen-edged header override rejected', { host: 'acme.localhost', 'x-mosaic-tenant': '-acme' }, '', dev, bad('invalid tenant override')],
  ['63-character override accepted', { host: 'acme.localhost' }, `?tenant=${'a'.repeat(63)}`, dev, ok('acme.localhost', 'a'.repeat(63))],
];

describe('requestHost', () => {
  test.each(CASES)('%s', (_name, headers, query, options, expected) => {
    expect(requestHost(new Headers(headers), url(query), options)).toEqual(expected);
  });

  test('reads headers through any object with get()', () => {
    const seen: string[] = [];
    const headers = { get: (name: string) => (seen.push(name), name === 'host' ? 'acme.localhost' : null) };
    expect(requestHost(headers, url(), { trustProxy: true, allowOverride: true })).toEqual(ok('acme.localhost'));
    expect(seen).toEqual(['x-forwarded-host', 'host', 'x-mosaic-tenant']);
  });
});
