import { describe, expect, test } from 'vitest';
import { readRequestTarget } from '../../src/request/request-target.ts';

describe('readRequestTarget', () => {
  test('origin form with one Host', () => {
    expect(readRequestTarget('/a?b=1', ['x.example'])).toEqual({ ok: true, host: 'x.example', path: '/a?b=1' });
  });

  test.each([
    ['no Host', [], 'BadHost'],
    ['two Host lines', ['a.example', 'b.example'], 'BadHost'],
    ['two identical Host lines', ['a.example', 'a.example'], 'BadHost'],
  ] as const)('%s is refused', (_name, hosts, error) => {
    expect(readRequestTarget('/', hosts)).toMatchObject({ ok: false, error });
  });

  test.each([
    ['http://a.example/x?y', 'a.example', '/x?y'],
    ['HTTP://A.Example:80/x', 'a.example:4321', '/x'],
    ['http://a.example', 'a.example', '/'],
    ['http://a.example?q', 'a.example', '/?q'],
    ['http://127.0.0.1:4321/healthz', '127.0.0.1:4321', '/healthz'],
    ['http://[::1]:4321/healthz', '[::1]:4321', '/healthz'],
  ])('absolute form %s naming the Host is accepted', (target, host, path) => {
    expect(readRequestTarget(target, [host])).toEqual({ ok: true, host, path });
  });

  test.each([
    ['http://evil.example/', 'a.example'],
    ['http://user@a.example/', 'a.example'],
    ['http://a.example.evil.example/', 'a.example'],
    ['http://127.0.0.2/', '127.0.0.1'],
    ['ftp://a.example/', 'a.example'],
    ['*', 'a.example'],
    ['a.example:443', 'a.example'],
  ])('target %s with Host %s is refused', (target, host) => {
    expect(readRequestTarget(target, [host])).toMatchObject({ ok: false, error: 'BadRequest' });
  });
});
