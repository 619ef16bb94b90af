import { describe, expect, test } from 'vitest';
import { ACTIONS, can, PERMISSIONS, PLATFORM_ACTIONS, TENANT_ROLES, type Action, type Role } from '../../src/operations/permissions.ts';

// The lowest role that may take each action, written out independently of the table in code:
// a change to who may do what must change this list too.
const LOWEST: Record<Action, Role> = {
  'tenant.read': 'viewer',
  'member.read': 'viewer',
  'domain.read': 'viewer',
  'page.read': 'viewer',
  'page.preview': 'viewer',
  'theme.read': 'viewer',
  'post.read': 'viewer',
  'media.read': 'viewer',
  'registry.read': 'viewer',
  'page.edit': 'editor',
  'page.publish': 'editor',
  'theme.update': 'editor',
  'post.edit': 'editor',
  'post.publish': 'editor',
  'media.upload': 'editor',
  'media.delete': 'editor',
  'submission.read': 'editor',
  'submission.export': 'editor',
  'submission.delete': 'editor',
  'audit.read': 'editor',
  'tenant.update': 'admin',
  'member.invite': 'admin',
  'member.update': 'admin',
  'member.remove': 'admin',
  'apikey.read': 'admin',
  'apikey.create': 'admin',
  'apikey.revoke': 'admin',
  'domain.manage': 'admin',
  'tenant.delete': 'owner',
  'member.manage-owners': 'owner',
  'platform.tenant.list': 'platform-admin',
  'platform.tenant.create': 'platform-admin',
  'platform.tenant.export': 'platform-admin',
  'platform.tenant.import': 'platform-admin',
  'platform.tenant.lifecycle': 'platform-admin',
  'platform.tenant.plan': 'platform-admin',
  'platform.page.restore': 'platform-admin',
  'platform.user.manage': 'platform-admin',
  'platform.apikey.manage': 'platform-admin',
  'platform.audit.read': 'platform-admin',
};

const ORDER: Role[] = ['viewer', 'editor', 'admin', 'owner', 'platform-admin'];

describe('the permission table', () => {
  test('names every action exactly once', () => {
    expect(new Set(ACTIONS).size).toBe(ACTIONS.length);
    expect(Object.keys(LOWEST).sort()).toEqual([...ACTIONS].sort());
  });

  const cases = ORDER.flatMap((role) => ACTIONS.map((action) => [role, action] as const));
  test.each(cases)('%s × %s', (role, action) => {
    expect(can(role, action)).toBe(ORDER.indexOf(role) >= ORDER.indexOf(LOWEST[action]));
  });

  test('every role holds what the role below it holds', () => {
    for (let i = 1; i < ORDER.length; i++) {
      for (const action of PERMISSIONS[ORDER[i - 1]!]) expect(PERMISSIONS[ORDER[i]!].has(action)).toBe(true);
    }
  });

  test('no tenant role holds a platform action', () => {
    for (const role of TENANT_ROLES) for (const action of PLATFORM_ACTIONS) expect(can(role, action)).toBe(false);
  });
});
