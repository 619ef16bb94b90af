import { describe, expect, test } from 'vitest';
import { adminRoutes } from '../../src/request/routes.ts';
import { matchPath, pathFor } from '../../src/editor/router.tsx';
import { SCREENS, screenFor, screenPath } from '../../src/editor/screens.ts';

describe('the editor’s screen table', () => {
  test('every screen’s path is answered by the admin host with the editor page', () => {
    for (const screen of SCREENS) {
      const example = pathFor(screen.path, { tenant: 'bakery', pageId: '5b0c7f1e-3f7a-4f4e-9a55-0d3c1d1e2f10' });
      expect(adminRoutes('GET', example), screen.name).toEqual({ found: true, handler: 'editor' });
    }
  });

  test('paths find their screen and its parameters; others find none', () => {
    expect(screenFor('/sites/bakery/pages')).toMatchObject({ screen: { name: 'pages' }, params: { tenant: 'bakery' } });
    expect(screenFor('/sites/bakery/pages/abc')).toMatchObject({ screen: { name: 'page-editor' }, params: { tenant: 'bakery', pageId: 'abc' } });
    expect(screenFor('/sites/bakery')).toMatchObject({ screen: { name: 'dashboard' } });
    expect(screenFor('/')).toMatchObject({ screen: { name: 'sites' } });
    expect(screenFor('/sites')).toBeNull();
    expect(screenFor('/sites/bakery/nothing-here')).toBeNull();
  });

  test('parameters are encoded into paths and decoded out of them; a malformed escape matches nothing', () => {
    expect(screenPath('page-editor', { tenant: 'a b', pageId: 'x/y' })).toBe('/sites/a%20b/pages/x%2Fy');
    expect(matchPath('/sites/:tenant', '/sites/a%20b')).toEqual({ tenant: 'a b' });
    expect(matchPath('/sites/:tenant', '/sites/%E0%A4%A')).toBeNull();
  });

  test('screen names are unique and every site screen in the navigation takes the site', () => {
    expect(new Set(SCREENS.map((s) => s.name)).size).toBe(SCREENS.length);
    for (const screen of SCREENS.filter((s) => s.nav)) expect(screen.path.startsWith('/sites/:tenant'), screen.name).toBe(true);
  });
});
