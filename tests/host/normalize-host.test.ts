import { describe, expect, test } from 'vitest';
import { normalizeHost } from '../../src/host/normalize-host.ts';

const IP = 'IP literals do not name a site';
const CHARS = 'invalid characters in host';
const CONTROL = 'whitespace or control characters in host';
const long = (n: number) => 'a'.repeat(n);
// 25 × "abcdefghi." + "com" is exactly 253 characters.
const host253 = `${'abcdefghi.'.repeat(25)}com`;

// [input, expected]: a string starting with "=" is the accepted host, anything else the rejection reason.
const CASES: [string | null | undefined, string][] = [
  // accepted: case, ports, trailing dot, IDN
  ['acme.localhost', '=acme.localhost'],
  ['ACME.LocalHost', '=acme.localhost'],
  ['acme.localhost:4321', '=acme.localhost'],
  ['acme.localhost:1', '=acme.localhost'],
  ['acme.localhost:65535', '=acme.localhost'],
  ['acme.localhost.', '=acme.localhost'],
  ['acme.localhost.:4321', '=acme.localhost'],
  ['CodersInFlow.COM', '=codersinflow.com'],
  ['www.codersinflow.com', '=www.codersinflow.com'],
  ['Bücher.Example', '=xn--bcher-kva.example'],
  ['münchen.de.', '=xn--mnchen-3ya.de'],
  ['Bücher.Example:8080', '=xn--bcher-kva.example'],
  ['XN--BCHER-KVA.example', '=xn--bcher-kva.example'],
  ['例え.テスト', '=xn--r8jz45g.xn--zckzah'],
  ['ａｃｍｅ。com', '=acme.com'],
  ['a-b.c-d.example', '=a-b.c-d.example'],
  ['1.com', '=1.com'],
  ['localhost', '=localhost'],
  [`${long(63)}.com`, `=${long(63)}.com`],
  [host253, `=${host253}`],
  // empty, blank, overlong
  [null, 'missing host'],
  [undefined, 'missing host'],
  ['', 'empty host'],
  ['   ', 'blank host'],
  ['\t', 'blank host'],
  ['.', 'empty host'],
  [':4321', 'empty host'],
  [`${long(64)}.com`, 'label too long'],
  [`${host253}s`, 'host too long'],
  [long(5000), 'host too long'],
  // empty labels and hyphens
  ['..', 'empty label'],
  ['a..b', 'empty label'],
  ['.acme.com', 'empty label'],
  ['acme.com..', 'empty label'],
  ['-acme.com', 'invalid label'],
  ['acme-.com', 'invalid label'],
  ['acme.-com', 'invalid label'],
  // injected characters
  ['acme_corp.com', 'invalid label'],
  [' acme.localhost', CONTROL],
  ['acme.com evil.com', CONTROL],
  ['acme.com\r\nX-Injected: 1', CONTROL],
  ['acme.com\n', CONTROL],
  ['acme.com\u0000.evil', CONTROL],
  ['acme\u00a0.com', CONTROL],
  ['acme.com/evil', CHARS],
  ['acme.com\\evil', CHARS],
  ['acme.com?x=1', CHARS],
  ['acme.com#frag', CHARS],
  ['ac%6De.com', CHARS],
  ['acme%2ecom', CHARS],
  ['"acme.com"', CHARS],
  ["'acme.com'", CHARS],
  ['<script>.com', CHARS],
  ['acme.com]', CHARS],
  ['ac!me.com', 'invalid label'],
  ['⒈.com', 'not a valid domain name'],
  // userinfo and multiple hosts
  ['user@acme.com', 'userinfo is not allowed'],
  ['user:pass@acme.com:80', 'userinfo is not allowed'],
  ['acme.com, evil.com', 'multiple hosts'],
  ['acme.com,evil.com', 'multiple hosts'],
  // ports
  ['acme.com:', 'invalid port'],
  ['acme.com:0', 'invalid port'],
  ['acme.com:65536', 'invalid port'],
  ['acme.com:123456', 'invalid port'],
  ['acme.com:-1', 'invalid port'],
  ['acme.com:80:80', 'invalid port'],
  ['acme.com:http', 'invalid port'],
  ['acme.com:4321.', 'invalid port'],
  // IP literals
  ['127.0.0.1', IP],
  ['127.0.0.1:4321', IP],
  ['127.1', IP],
  ['0x7f.0.0.1', IP],
  ['10.0.0.1.', IP],
  ['1.2.3.4.5', 'not a valid domain name'],
  ['[::1]', IP],
  ['[::1]:4321', IP],
  ['[2001:db8::1]:443', IP],
  ['[::1', IP],
  ['::1', 'invalid port'],
];

const title = (input: string | null | undefined) => (input === undefined ? 'undefined' : JSON.stringify(input).slice(0, 48));

describe('normalizeHost', () => {
  test('the table covers at least 40 inputs', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  test.each(CASES.map(([input, expected]) => [title(input), expected, input] as const))('%s → %s', (_title, expected, input) => {
    const want = expected.startsWith('=') ? { ok: true, host: expected.slice(1) } : { ok: false, reason: expected };
    expect(normalizeHost(input)).toEqual(want);
  });

  test('never throws, and every accepted host is a plain lower-case DNS name', () => {
    // A fixed-seed generator keeps the run reproducible.
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const alphabet = ['a', 'Z', '0', '9', '-', '.', ':', '[', ']', '@', ',', '%', '/', ' ', '\r', '\0', '_', 'ü', 'ß', '。', 'ａ', '\u200b', '\ud800', '🙂'];
    for (let i = 0; i < 5000; i++) {
      const length = next() % 24;
      let raw = '';
      for (let j = 0; j < length; j++) raw += alphabet[next() % alphabet.length];
      const result = normalizeHost(raw);
      if (result.ok) {
        expect(result.host).toMatch(/^[a-z0-9-]{1,63}(\.[a-z0-9-]{1,63})*$/);
        expect(result.host.length).toBeLessThanOrEqual(253);
      } else {
        expect(result.reason).not.toBe('');
      }
    }
  });

  test('normalizing is idempotent', () => {
    for (const [input, expected] of CASES) {
      if (!expected.startsWith('=')) continue;
      const host = expected.slice(1);
      expect(normalizeHost(host), `${title(input)}`).toEqual({ ok: true, host });
    }
  });
});
