import { describe, expect, test } from 'vitest';
import { tenantOverride, type TenantOverride } from '../../src/host/request-host.ts';

const none: TenantOverride = { ok: true, slug: null };
const slug = (s: string): TenantOverride => ({ ok: true, slug: s });
const bad: TenantOverride = { ok: false, reason: 'invalid tenant override' };

type Case = [name: string, allowed: boolean, query: string | null, header: string | null, expected: TenantOverride];

const CASES: Case[] = [
  ['ignored in production', false, 'other', 'other', none],
  ['malformed ignored in production', false, '../etc', null, none],
  ['query in development', true, 'other', null, slug('other')],
  ['header in development', true, null, 'other-2', slug('other-2')],
  ['query wins over header', true, 'query', 'header', slug('query')],
  ['none given in development', true, null, null, none],
  ['path-like rejected', true, '../etc', null, bad],
  ['upper case rejected', true, 'Acme', null, bad],
  ['empty rejected', true, '', null, bad],
  ['overlong rejected', true, 'a'.repeat(64), null, bad],
  ['hyphen-edged header rejected', true, null, '-acme', bad],
  ['63 characters accepted', true, 'a'.repeat(63), null, slug('a'.repeat(63))],
];

describe('tenantOverride', () => {
  test.each(CASES)('%s', (_name, allowed, query, header, expected) => {
    expect(tenantOverride(allowed, () => query, () => header)).toEqual(expected);
  });

  test('reads nothing outside development', () => {
    const read = () => {
      throw new Error('read');
    };
    expect(tenantOverride(false, read, read)).toEqual(none);
  });
});
