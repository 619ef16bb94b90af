import type { TenantRole } from '../db/schema.ts';

// The one permission table: which role may take which action. Operations name the action they
// need; nothing else in the code decides who may do what.

export const TENANT_ROLES = ['owner', 'admin', 'editor', 'viewer'] as const satisfies readonly TenantRole[];

/** A tenant role, or the platform role that holds every action on every tenant. */
export type Role = TenantRole | 'platform-admin';

const READ = [
  'tenant.read',
  'member.read',
  'domain.read',
  'page.read',
  'page.preview',
  'theme.read',
  'post.read',
  'media.read',
  'registry.read',
] as const;

const EDIT = [
  'page.edit',
  'page.publish',
  'theme.update',
  'post.edit',
  'post.publish',
  'media.upload',
  'media.delete',
  'submission.read',
  'submission.export',
  'submission.delete',
  'audit.read',
] as const;

const ADMINISTER = [
  'tenant.update',
  'member.invite',
  'member.update',
  'member.remove',
  'apikey.read',
  'apikey.create',
  'apikey.revoke',
  'domain.manage',
] as const;

const OWN = ['tenant.delete', 'member.manage-owners'] as const;

/** Actions on the platform itself, not on one tenant. */
const PLATFORM = [
  'platform.tenant.list',
  'platform.tenant.create',
  'platform.tenant.export',
  'platform.tenant.import',
  'platform.tenant.lifecycle',
  'platform.tenant.plan',
  'platform.page.restore',
  'platform.user.manage',
  'platform.apikey.manage',
  'platform.audit.read',
] as const;

export const TENANT_ACTIONS = [...READ, ...EDIT, ...ADMINISTER, ...OWN] as const;
export const PLATFORM_ACTIONS = PLATFORM;
export const ACTIONS = [...TENANT_ACTIONS, ...PLATFORM_ACTIONS] as const;

export type TenantAction = (typeof TENANT_ACTIONS)[number];
export type PlatformAction = (typeof PLATFORM_ACTIONS)[number];
export type Action = (typeof ACTIONS)[number];

/**
 * owner: everything on the site, members and domains included, and deleting it.
 * admin: everything but deleting the site or changing owners.
 * editor: pages, posts, theme, media, publishing, scheduling, rolling back, messages, activity.
 * viewer: read and preview only.
 * platform-admin: every action on every tenant, and the platform's own.
 */
export const PERMISSIONS: Readonly<Record<Role, ReadonlySet<Action>>> = {
  viewer: new Set(READ),
  editor: new Set([...READ, ...EDIT]),
  admin: new Set([...READ, ...EDIT, ...ADMINISTER]),
  owner: new Set([...READ, ...EDIT, ...ADMINISTER, ...OWN]),
  'platform-admin': new Set(ACTIONS),
};

export function can(role: Role, action: Action): boolean {
  return PERMISSIONS[role].has(action);
}

/** Roles ordered by power; a member may hand out a role only up to their own. */
export const ROLE_RANK: Readonly<Record<Role, number>> = { viewer: 1, editor: 2, admin: 3, owner: 4, 'platform-admin': 5 };

export const isPlatformAction = (action: Action): action is PlatformAction => (PLATFORM_ACTIONS as readonly string[]).includes(action);
