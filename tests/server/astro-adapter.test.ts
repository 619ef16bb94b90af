import http from 'node:http';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { createRequestFromNodeRequest } from 'astro/app/node';
import pino from 'pino';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { routeAstroLogs } from '../../src/log/astro-log-sink.ts';

// The built server bundle (`npm test` builds first), as src/server/main.ts loads it.
const ENTRY = fileURLToPath(new URL('../../dist/server/entry.mjs', import.meta.url));
type AstroEntry = { handler: (req: http.IncomingMessage, res: http.ServerResponse, next: () => void, locals: object) => Promise<void>; options: { bodySizeLimit: number } };

function listen(handler: http.RequestListener): Promise<{ port: number; close(): void }> {
  const server = http.createServer(handler);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as net.AddressInfo).port, close: () => server.close() })),
  );
}

function postChunked(port: number, bytes: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write('POST /x HTTP/1.1\r\nHost: a.example\r\nTransfer-Encoding: chunked\r\n\r\n');
      const chunk = Buffer.alloc(4096, 'a');
      for (let sent = 0; sent < bytes; sent += chunk.length) socket.write(`1000\r\n${chunk}\r\n`);
      socket.write('0\r\n\r\n');
    });
    socket.on('close', () => resolve()).on('error', () => resolve());
    socket.on('data', () => socket.destroy());
  });
}

describe('Astro’s adapter, as built', () => {
  const closers: (() => void)[] = [];
  afterAll(() => closers.forEach((close) => close()));

  test('carries a small body limit, which stops any body Astro reads at 16 KiB', async () => {
    const { options } = (await import(ENTRY)) as AstroEntry;
    expect(options.bodySizeLimit).toBe(16 * 1024);
    const outcomes: string[] = [];
    const server = await listen(async (req, res) => {
      // What the adapter does with every request it is given (serve-app.js).
      const request = createRequestFromNodeRequest(req, { bodySizeLimit: options.bodySizeLimit });
      outcomes.push(await request.arrayBuffer().then((b) => `read ${b.byteLength}`, (e: Error) => `refused: ${e.message}`));
      res.end();
    });
    closers.push(server.close);
    await postChunked(server.port, 12 * 1024);
    await postChunked(server.port, 4 * 1024 * 1024);
    await vi.waitFor(() => expect(outcomes).toHaveLength(2));
    expect(outcomes[0]).toBe('read 12288');
    expect(outcomes[1]).toMatch(/^refused: .*16384/);
  });

  test('logs through the process’s structured logger, one line per message', async () => {
    const lines: string[] = [];
    routeAstroLogs(pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }));
    const { handler } = (await import(ENTRY)) as AstroEntry;
    // Just enough services for the middleware to answer "no site here".
    const mosaic = {
      config: { trustProxy: { kind: 'none' }, adminHost: 'admin.localhost', allowTenantOverride: false, platformDomain: 'localhost' },
      repo: { findHost: async () => null },
      logger: pino({ level: 'silent' }),
    };
    const server = await listen((req, res) => void handler(req, res, () => res.end(), { mosaic }));
    closers.push(server.close);
    const send = (method: string) =>
      new Promise<number>((resolve) => {
        http.request({ port: server.port, host: '127.0.0.1', method, path: '/x', headers: { host: 'nobody.example' } }, (res) => res.resume().on('end', () => resolve(res.statusCode ?? 0))).end();
      });
    // Astro takes its configured logger on the first render.
    expect(await send('GET')).toBe(404);
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    // TRACE cannot become a fetch Request: the adapter logs "Could not render" (the front never lets it through).
    expect(await send('TRACE')).toBe(500);
    quiet.mockRestore();
    const astro = lines.map((line) => JSON.parse(line) as { source?: string; msg: string; level: number });
    expect(astro).toContainEqual(expect.objectContaining({ source: 'astro', level: 50, msg: expect.stringContaining('Could not render') }));
    for (const line of lines) expect(line.trimEnd().split('\n')).toHaveLength(1);
  });
});
