import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { withTenant } from '../../src/db/tenant-scope.ts';
import { findTenantId } from '../../src/tenants/provision-tenant.ts';
import { openTestDatabases } from '../support/databases.ts';
import { parseResponse, rawRequest } from '../support/raw-http.ts';
import { startServer, type RunningServer } from '../support/server-process.ts';

const HOST = 'clientsite.localhost';
const LIMIT = 16 * 1024;

interface Upload {
  status: number | null;
  /** Body bytes the client managed to hand to the socket before it was answered or closed. */
  sent: number;
  closedByServer: boolean;
}

/**
 * Posts a chunked body of `total` bytes as fast as the socket takes it, and stops as soon as the
 * server answers or closes. `hold` keeps sending slowly instead, to occupy a reading slot.
 */
function upload(port: number, total: number, options: { client?: string; hold?: Promise<void> } = {}): Promise<Upload> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let sent = 0;
    let status: number | null = null;
    let data = Buffer.alloc(0);
    let finished = false;
    const finish = (closedByServer: boolean) => {
      if (finished) return;
      finished = true;
      socket.destroy();
      resolve({ status, sent, closedByServer });
    };
    const headers = [
      'POST /_mosaic/forms/contact HTTP/1.1',
      `Host: ${HOST}`,
      'Content-Type: application/x-www-form-urlencoded',
      'Transfer-Encoding: chunked',
      ...(options.client ? [`X-Forwarded-For: ${options.client}`] : []),
      '',
      '',
    ].join('\r\n');
    const chunk = Buffer.alloc(8192, 'a');
    const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
    const pump = () => {
      while (status === null && !finished && sent < total) {
        sent += chunk.length;
        if (!socket.write(frame)) return void socket.once('drain', pump);
      }
      if (sent >= total && status === null && !finished) socket.write('0\r\n\r\n');
    };
    socket.on('connect', () => {
      socket.write(headers);
      if (options.hold) {
        socket.write(frame);
        sent += chunk.length;
        void options.hold.then(() => finish(false));
      } else pump();
    });
    socket.on('data', (bytes: Buffer) => {
      data = Buffer.concat([data, bytes]);
      const response = parseResponse(data, false);
      if (response) status = response.status;
    });
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
  });
}

describe('request bodies are limited while they are read', () => {
  const dbs = openTestDatabases(2);
  let server: RunningServer;
  let tenantId: string;
  const submissions = async () =>
    Number((await withTenant(dbs.admin, tenantId, (trx) => trx.selectFrom('form_submissions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow())).n);

  beforeAll(async () => {
    tenantId = (await findTenantId(dbs.admin, 'clientsite'))!;
    // Every upload comes from its own (forwarded) client, so the per-client limit stays out of the way.
    server = await startServer({ DATABASE_URL: inject('appDatabaseUrl'), REDIS_URL: inject('redisUrl'), REDIS_PREFIX: `b${randomBytes(3).toString('hex')}:`, TRUST_PROXY: 'loopback' });
  });
  afterAll(async () => {
    await server?.stop();
    await dbs.close();
  });

  test('a chunked form post over the limit is cut off with 413, without reading the rest', async () => {
    const before = await submissions();
    const total = 256 * 1024 * 1024;
    const result = await upload(server.port, total, { client: '198.51.100.1' });
    expect(result.status).toBe(413);
    expect(result.closedByServer).toBe(true);
    // What the client could push before the answer is the limit plus socket buffers, not the body.
    expect(result.sent).toBeLessThan(total / 8);
    expect(await submissions()).toBe(before);
  });

  test('a declared Content-Length over the limit is refused before any byte is read', async () => {
    const res = await rawRequest(
      server.port,
      `POST /_mosaic/forms/contact HTTP/1.1\r\nHost: ${HOST}\r\nX-Forwarded-For: 198.51.100.2\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${LIMIT + 1}\r\n\r\n`,
    );
    expect(res.status).toBe(413);
    expect(res.headers.connection).toEqual(['close']);
    expect(res.body).toContain('Too large');
  });

  test('a form within the limit, sent chunked, is read and stored', async () => {
    const before = await submissions();
    const body = new URLSearchParams({ name: 'Ada', email: 'ada@example.com', message: 'm'.repeat(4000), page: '/contact' }).toString();
    const res = await rawRequest(
      server.port,
      `POST /_mosaic/forms/contact HTTP/1.1\r\nHost: ${HOST}\r\nX-Forwarded-For: 198.51.100.3\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
    );
    expect(res.status).toBe(303);
    expect(await submissions()).toBe(before + 1);
  });

  test('only a bounded number of bodies is read at once: the rest are refused with 503 at once', async () => {
    let release!: () => void;
    const hold = new Promise<void>((resolve) => (release = resolve));
    // 32 slow uploads take every reading slot (the limit in src/server/site-front.ts).
    const holders = Array.from({ length: 32 }, (_, i) => upload(server.port, LIMIT, { client: `198.51.101.${i}`, hold }));
    await new Promise((r) => setTimeout(r, 500));
    const refused = await Promise.all(Array.from({ length: 4 }, (_, i) => upload(server.port, 1024 * 1024, { client: `198.51.102.${i}` })));
    expect(refused.map((r) => r.status)).toEqual([503, 503, 503, 503]);
    release();
    await Promise.all(holders);
    // Once the slots are free, a form is read again.
    const after = await upload(server.port, 1024 * 1024, { client: '198.51.103.1' });
    expect(after.status).toBe(413);
  });
});
