import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { handleClientErrors } from '../../src/server/client-errors.ts';
import { rawRequest } from '../support/raw-http.ts';

// The front's own timeouts are 10 s for headers; the same handling is shown here with shorter ones.
describe('requests Node refuses before any handler runs', () => {
  const lines: string[] = [];
  let server: http.Server;
  let port: number;

  beforeAll(async () => {
    server = http.createServer({ headersTimeout: 300, requestTimeout: 300, connectionsCheckingInterval: 100 }, (_req, res) => res.end('handled'));
    handleClientErrors(server, pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  test.each([
    ['headers that do not arrive in time', 'GET / HTTP/1.1\r\nHost: a.example\r\nX-Slow: 1', 408, 'ERR_HTTP_REQUEST_TIMEOUT'],
    ['a malformed header line', 'GET / HTTP/1.1\r\nHost: a.example\r\nno colon here\r\n\r\n', 400, 'HPE_'],
    ['a method Node does not know', 'BREW / HTTP/1.1\r\nHost: a.example\r\n\r\n', 501, 'HPE_INVALID_METHOD'],
    ['oversized headers', `GET / HTTP/1.1\r\nHost: a.example\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'HPE_HEADER_OVERFLOW'],
    ['CONNECT', 'CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:443\r\n\r\n', 405, null],
    ['an Expect other than 100-continue', 'GET / HTTP/1.1\r\nHost: a.example\r\nExpect: magic\r\n\r\n', 417, null],
  ])('%s: the plain page, its headers and one log line', async (_name, bytes, status, code) => {
    const before = lines.length;
    const res = await rawRequest(port, bytes);
    expect(res.status).toBe(status);
    expect(res.closed).toBe(true);
    expect(res.headers['content-security-policy']?.[0]).toMatch(/^default-src 'none'/);
    expect(res.headers['x-content-type-options']).toEqual(['nosniff']);
    expect(res.body).toContain('<!doctype html>');
    const logged = lines.slice(before);
    if (code === null) return expect(logged).toHaveLength(0);
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0]!)).toMatchObject({ msg: 'malformed request refused', code: expect.stringContaining(code) });
  });
});
