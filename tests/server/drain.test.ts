import { randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { withTenant } from '../../src/db/tenant-scope.ts';
import { findTenantId } from '../../src/tenants/provision-tenant.ts';
import { openTestDatabases } from '../support/databases.ts';
import { parseResponse } from '../support/raw-http.ts';
import { request, startServer } from '../support/server-process.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('shutdown drains', () => {
  const dbs = openTestDatabases(1);
  afterAll(() => dbs.close());

  test('on SIGTERM: /readyz turns 503, kept-alive clients are told to close, the request in flight is answered and stored, then the process exits', async () => {
    const server = await startServer({
      DATABASE_URL: inject('appDatabaseUrl'),
      REDIS_URL: inject('redisUrl'),
      REDIS_PREFIX: `d${randomBytes(3).toString('hex')}:`,
      SHUTDOWN_DELAY_MS: '800',
    });
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const keptAlive = () =>
      new Promise<http.IncomingMessage>((resolve, reject) => {
        http.get({ port: server.port, host: '127.0.0.1', path: '/', headers: { host: 'darkflows.localhost' }, agent }, (res) => res.resume().on('end', () => resolve(res))).on('error', reject);
      });
    expect((await keptAlive()).headers.connection).toBe('keep-alive');

    // A form post in flight: headers and half the body now, the rest after SIGTERM.
    const marker = `drain-${randomBytes(4).toString('hex')}`;
    const body = new URLSearchParams({ name: 'Ada', email: 'ada@example.com', message: marker, page: '/contact' }).toString();
    const socket = net.connect(server.port, '127.0.0.1');
    let answer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => (answer = Buffer.concat([answer, chunk])));
    await new Promise((r) => socket.once('connect', r));
    socket.write(`POST /_mosaic/forms/contact HTTP/1.1\r\nHost: clientsite.localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 20)}`);
    await sleep(200);

    server.child.kill('SIGTERM');
    await sleep(200);
    const ready = await request(server.port, '/readyz');
    expect(ready.status).toBe(503);
    expect((await request(server.port, '/healthz')).status).toBe(200);
    const told = await keptAlive();
    expect(told.headers.connection).toBe('close');

    // After the delay no new connection is taken, while the post in flight goes on.
    await sleep(900);
    await expect(request(server.port, '/healthz')).rejects.toThrow(/ECONNREFUSED|ECONNRESET/);
    socket.write(body.slice(20));
    await sleep(500);
    const response = parseResponse(answer, true);
    expect(response?.status).toBe(303);
    socket.destroy();

    expect(await exited).toBe(0);
    const tenantId = (await findTenantId(dbs.admin, 'clientsite'))!;
    const stored = await withTenant(dbs.admin, tenantId, (trx) =>
      trx.selectFrom('form_submissions').select('id').where('tenant_id', '=', tenantId).where(({ eb, ref }) => eb(ref('data', '->>').key('message'), '=', marker)).execute(),
    );
    expect(stored).toHaveLength(1);
    agent.destroy();
  });
});
