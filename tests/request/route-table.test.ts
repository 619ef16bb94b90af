import { describe, expect, test } from 'vitest';
import { decideRoute } from '../../src/request/decide-route.ts';
import { createRouteTable } from '../../src/request/route-table.ts';

describe('a route table', () => {
  const table = createRouteTable([
    { methods: ['GET', 'HEAD'], path: '/exact', handler: 'exact' },
    { methods: ['POST'], path: '/files/upload', handler: 'upload' },
    { methods: ['GET'], path: '/files/*', handler: 'files' },
    { methods: ['GET', 'HEAD'], path: '/*', handler: 'any' },
  ]);

  test.each([
    ['GET', '/exact', 'exact'],
    ['GET', '/files/a/b', 'files'],
    ['POST', '/files/upload', 'upload'],
    ['GET', '/files', 'any'],
    ['HEAD', '/elsewhere', 'any'],
    ['GET', '/', 'any'],
  ])('%s %s → %s', (method, path, handler) => {
    expect(table(method, path)).toEqual({ found: true, handler });
  });

  test.each([
    ['POST', '/exact', 'GET, HEAD'],
    ['GET', '/files/upload', 'POST'],
    ['HEAD', '/files/x', 'GET'],
    ['DELETE', '/x', 'GET, HEAD'],
  ])('%s %s → 405, Allow: %s', (method, path, allow) => {
    expect(table(method, path)).toEqual({ found: false, status: 405, allow });
  });

  test('no row → 404', () => {
    const narrow = createRouteTable([{ methods: ['GET'], path: '/only', handler: 1 }]);
    expect(narrow('GET', '/other')).toEqual({ found: false, status: 404 });
    expect(narrow('GET', '/only/more')).toEqual({ found: false, status: 404 });
  });
});

describe('decideRoute: method, host kind, then that kind’s table', () => {
  const decide = (method: string, host: string | null, path: string) => decideRoute(method, host, path, 'admin.localhost');

  test('tenant hosts route to the site table', () => {
    expect(decide('GET', 'darkflows.localhost', '/about')).toEqual({ kind: 'site', route: 'page', host: 'darkflows.localhost' });
    expect(decide('HEAD', 'darkflows.localhost', '/brand/darkflows/logo.svg')).toMatchObject({ route: 'tenant-asset' });
    expect(decide('GET', 'darkflows.localhost', '/_astro/client.js')).toMatchObject({ route: 'build-asset' });
    expect(decide('POST', 'darkflows.localhost', '/_mosaic/forms/contact')).toMatchObject({ route: 'contact-form' });
    expect(decide('GET', 'darkflows.localhost', '/_mosaic/anything')).toMatchObject({ route: 'reserved' });
    expect(decide('GET', 'darkflows.localhost', '/-/editor')).toMatchObject({ route: 'reserved' });
  });

  test('a tenant host never answers health, admin or internal routes itself', () => {
    expect(decide('GET', 'darkflows.localhost', '/healthz')).toMatchObject({ kind: 'site', route: 'page' });
    expect(decide('GET', 'darkflows.localhost', '/metrics')).toMatchObject({ kind: 'site', route: 'page' });
  });

  test('the admin host answers only its own table', () => {
    expect(decide('GET', 'admin.localhost', '/healthz')).toEqual({ kind: 'admin', route: 'healthz' });
    expect(decide('GET', 'admin.localhost', '/')).toEqual({ kind: 'admin', route: 'editor' });
    expect(decide('GET', 'admin.localhost', '/sites/darkflows/pages')).toEqual({ kind: 'admin', route: 'editor' });
    expect(decide('GET', 'admin.localhost', '/_astro/client.js')).toEqual({ kind: 'admin', route: 'build-asset' });
    expect(decide('POST', 'admin.localhost', '/sign-in')).toMatchObject({ kind: 'refuse', error: 'MethodNotAllowed' });
    expect(decide('GET', 'admin.localhost', '/about')).toMatchObject({ kind: 'refuse', error: 'PageNotFound' });
    expect(decide('GET', 'admin.localhost', '/brand/darkflows/logo.svg')).toMatchObject({ kind: 'refuse', error: 'PageNotFound' });
  });

  test('IP-literal hosts answer only health', () => {
    expect(decide('GET', '127.0.0.1:4321', '/readyz')).toEqual({ kind: 'internal', route: 'readyz' });
    expect(decide('GET', '127.0.0.1:4321', '/metrics')).toMatchObject({ kind: 'refuse', error: 'PageNotFound' });
    expect(decide('GET', '10.0.0.1', '/')).toMatchObject({ kind: 'refuse', error: 'PageNotFound' });
  });

  test('refusals', () => {
    expect(decide('BREW', 'darkflows.localhost', '/')).toMatchObject({ kind: 'refuse', error: 'NotImplemented' });
    expect(decide('POST', 'darkflows.localhost', '/')).toEqual({ kind: 'refuse', error: 'MethodNotAllowed', allow: 'GET, HEAD', reason: 'method not allowed here' });
    expect(decide('GET', 'darkflows.localhost', '/_mosaic/forms/contact')).toMatchObject({ error: 'MethodNotAllowed', allow: 'POST' });
    expect(decide('GET', 'user@darkflows.localhost', '/')).toMatchObject({ kind: 'refuse', error: 'BadHost' });
    expect(decide('GET', null, '/')).toMatchObject({ kind: 'refuse', error: 'BadHost' });
  });
});
