import { describe, expect, test } from 'vitest';
import { chooseEncoding } from '../../src/page-cache/accept-encoding.ts';

describe('Accept-Encoding negotiation', () => {
  test.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['br', 'br'],
    ['gzip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['gzip, deflate, br, zstd', 'br'],
    ['GZIP, BR', 'br'],
    ['gzip, br;q=0', 'gzip'],
    ['br;q=0.5, gzip;q=0.8', 'gzip'],
    ['br;q=0.8, gzip;q=0.8', 'br'],
    ['gzip;q=0.5, identity', 'identity'],
    ['deflate', 'identity'],
    ['*', 'br'],
    ['*;q=0', 'identity'],
    ['*;q=0, gzip', 'gzip'],
    ['br;q=0, *', 'gzip'],
    ['identity;q=0', 'identity'],
    ['identity;q=0, gzip', 'gzip'],
    ['br;q=0, gzip;q=0, identity;q=0', 'identity'],
    ['gzip;q=0.001', 'gzip'],
    ['br ; q=0.9 , gzip ; q=1', 'gzip'],
  ] as const)('%j → %s', (accept, expected) => {
    expect(chooseEncoding(accept)).toBe(expected);
    // Asked again (the memoized answer) it is the same.
    expect(chooseEncoding(accept)).toBe(expected);
  });
});
