import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { normalizeHost } from '../../src/host/normalize-host.ts';

const DNS_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const utf16 = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
// Raw Host values: any text, and text built from the pieces that make hosts tricky.
const tricky = fc
  .array(fc.oneof(fc.constantFrom('.', ':', '@', '[', ']', '%', '/', '\\', ',', ' ', '\t', '\u0000', 'xn--', '-', '0x7f', '127', 'ß', 'İ', 'Ａ', '。', '\u200d'), fc.stringMatching(/^[A-Za-z0-9-]{1,8}$/)), { maxLength: 12 })
  .map((parts) => parts.join(''));
const rawHost = fc.oneof(fc.string({ unit: utf16, maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), tricky, fc.domain());
const randomCase = (text: string, flips: boolean[]) => [...text].map((c, i) => (flips[i % flips.length] ? c.toUpperCase() : c)).join('');

describe('host normalization (property)', () => {
  test('never throws, and what it returns is a lower-case ASCII DNS name that is not an IP address', () => {
    fc.assert(
      fc.property(rawHost, (raw) => {
        const result = normalizeHost(raw);
        if (!result.ok) {
          expect(result.reason.length).toBeGreaterThan(0);
          return;
        }
        expect(result.host).toMatch(DNS_NAME);
        expect(result.host.split('.').every((label) => /^[0-9]+$/.test(label))).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  test('is idempotent', () => {
    fc.assert(
      fc.property(rawHost, (raw) => {
        const once = normalizeHost(raw);
        if (once.ok) expect(normalizeHost(once.host)).toEqual(once);
      }),
      { numRuns: 2000 },
    );
  });

  test('ignores ASCII case, a port and one trailing dot', () => {
    fc.assert(
      fc.property(fc.domain(), fc.array(fc.boolean(), { minLength: 1 }), fc.option(fc.integer({ min: 1, max: 65535 })), fc.boolean(), (domain, flips, port, dot) => {
        const dressed = `${randomCase(domain, flips)}${dot ? '.' : ''}${port === null ? '' : `:${port}`}`;
        expect(normalizeHost(dressed)).toEqual(normalizeHost(domain));
      }),
      { numRuns: 1000 },
    );
  });

  test('tolerates what is not a string', () => {
    for (const raw of [null, undefined]) expect(normalizeHost(raw).ok).toBe(false);
  });
});
