import { describe, expect, test } from 'vitest';
import { classifyHost, type HostKind } from '../../src/host/host-kind.ts';

const ADMIN = 'admin.localhost';
const site = (host: string): HostKind => ({ kind: 'site', host });
const internal: HostKind = { kind: 'internal' };
const admin: HostKind = { kind: 'admin' };

const CASES: [raw: string | null, expected: HostKind['kind'] | HostKind][] = [
  ['darkflows.localhost', site('darkflows.localhost')],
  ['DarkFlows.COM.:443', site('darkflows.com')],
  ['admin.localhost', admin],
  ['ADMIN.localhost:4321', admin],
  ['admin.localhost.evil.example', site('admin.localhost.evil.example')],
  ['127.0.0.1', internal],
  ['127.0.0.1:4321', internal],
  ['10.1.2.3:80', internal],
  ['[::1]', internal],
  ['[::1]:4321', internal],
  ['[fd00::1]:8080', internal],
  ['localhost', site('localhost')],
  ['127.1', 'bad'],
  ['[::1', 'bad'],
  ['[::1]x', 'bad'],
  ['127.0.0.1:99999', 'bad'],
  ['user@darkflows.localhost', 'bad'],
  ['darkflows.localhost/x', 'bad'],
  ['', 'bad'],
  [null, 'bad'],
];

describe('classifyHost', () => {
  test.each(CASES)('%s', (raw, expected) => {
    const kind = classifyHost(raw, ADMIN);
    if (typeof expected === 'string') expect(kind.kind).toBe(expected);
    else expect(kind).toEqual(expected);
  });
});
