import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import type { Action } from '../../src/operations/permissions.ts';
import { createTestUser, uniqueEmail } from '../support/accounts.ts';
import { createTestApiKey, createTestDomain, createTestMember } from '../support/api-fixtures.ts';
import { createTestPage, createTestPost, createTestSubmission } from '../support/content-fixtures.ts';
import { createTestTenant, uniqueSlug } from '../support/databases.ts';
import { createTestMedia, makeImageBase64 } from '../support/images.ts';

export interface CaseRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Below `/api/v1`. */
  path: string;
  body?: unknown;
}

export interface PermissionCase {
  /**
   * True when the action is on one site (the path's `{tenant}`): the case runs on the caller's
   * own site and on another one. Platform actions run once.
   */
  onSite: boolean;
  /** Builds the call, first creating in `site` whatever it acts on (a member to remove, a key to revoke). */
  request(fx: { admin: Kysely<Database>; site: { id: string; slug: string } }): Promise<CaseRequest>;
  /** The status of an allowed call. */
  success: number;
}

const siteCase = (success: number, request: PermissionCase['request']): PermissionCase => ({ onSite: true, success, request });
const platformCase = (success: number, request: PermissionCase['request']): PermissionCase => ({ onSite: false, success, request });

/** One HTTP call per action of the permission table (src/operations/permissions.ts). */
export const PERMISSION_CASES: Partial<Record<Action, PermissionCase>> = {
  'tenant.read': siteCase(200, async ({ site }) => ({ method: 'GET', path: `/tenants/${site.slug}` })),
  'tenant.update': siteCase(200, async ({ site }) => ({ method: 'PATCH', path: `/tenants/${site.slug}`, body: { settings: { locale: 'en' } } })),
  'member.read': siteCase(200, async ({ site }) => ({ method: 'GET', path: `/tenants/${site.slug}/members` })),
  'member.invite': siteCase(201, async ({ site }) => ({
    method: 'POST',
    path: `/tenants/${site.slug}/invitations`,
    body: { email: uniqueEmail('invited'), role: 'viewer' },
  })),
  'member.manage-owners': siteCase(201, async ({ site }) => ({
    method: 'POST',
    path: `/tenants/${site.slug}/invitations`,
    body: { email: uniqueEmail('owner'), role: 'owner' },
  })),
  'member.update': siteCase(200, async ({ admin, site }) => {
    const member = await createTestMember(admin, site.id, 'viewer');
    return { method: 'PATCH', path: `/tenants/${site.slug}/members/${member.userId}`, body: { role: 'editor' } };
  }),
  'member.remove': siteCase(204, async ({ admin, site }) => {
    const member = await createTestMember(admin, site.id, 'viewer');
    return { method: 'DELETE', path: `/tenants/${site.slug}/members/${member.userId}` };
  }),
  'domain.read': siteCase(200, async ({ site }) => ({ method: 'GET', path: `/tenants/${site.slug}/domains` })),
  'domain.manage': siteCase(204, async ({ admin, site }) => {
    const hostname = await createTestDomain(admin, site.id);
    return { method: 'DELETE', path: `/tenants/${site.slug}/domains/${hostname}` };
  }),
  'apikey.read': siteCase(200, async ({ site }) => ({ method: 'GET', path: `/tenants/${site.slug}/api-keys` })),
  'apikey.create': siteCase(201, async ({ site }) => ({ method: 'POST', path: `/tenants/${site.slug}/api-keys`, body: { name: 'matrix', role: 'viewer' } })),
  'apikey.revoke': siteCase(200, async ({ admin, site }) => {
    const key = await createTestApiKey(admin, { tenantId: site.id, role: 'viewer' });
    return { method: 'DELETE', path: `/tenants/${site.slug}/api-keys/${key.id}` };
  }),
  'audit.read': siteCase(200, async ({ site }) => ({ method: 'GET', path: `/tenants/${site.slug}/audit?limit=5` })),
  'media.read': siteCase(200, async ({ site }) => ({ method: 'GET', path: `/tenants/${site.slug}/media?limit=5` })),
  'media.upload': siteCase(201, async ({ site }) => ({
    method: 'POST',
    path: `/tenants/${site.slug}/media`,
    body: { data: await makeImageBase64('png', 8, 8), alt: 'Uploaded by the matrix' },
  })),
  'media.delete': siteCase(204, async ({ admin, site }) => {
    const image = await createTestMedia(admin, site.id);
    return { method: 'DELETE', path: `/tenants/${site.slug}/media/${image.id}` };
  }),
  'registry.read': siteCase(200, async ({ site }) => ({ method: 'GET', path: `/tenants/${site.slug}/registry` })),
  // Adding an account directly is platform staff's: members invite instead.
  'platform.user.manage': siteCase(201, async ({ admin, site }) => {
    const user = await createTestUser(admin);
    return { method: 'POST', path: `/tenants/${site.slug}/members`, body: { email: user.email, role: 'viewer' } };
  }),
  'page.read': siteCase(200, async ({ admin, site }) => ({ method: 'GET', path: `/tenants/${site.slug}/pages/${(await createTestPage(admin, site)).id}` })),
  'page.preview': siteCase(200, async ({ admin, site }) => ({ method: 'GET', path: `/tenants/${site.slug}/pages/${(await createTestPage(admin, site)).id}/preview` })),
  'page.edit': siteCase(200, async ({ admin, site }) => {
    const page = await createTestPage(admin, site);
    return { method: 'PUT', path: `/tenants/${site.slug}/pages/${page.id}/draft`, body: { expectedRevision: page.draftRevision, draft: { title: 'Edited by the matrix' } } };
  }),
  'page.publish': siteCase(200, async ({ admin, site }) => ({ method: 'POST', path: `/tenants/${site.slug}/pages/${(await createTestPage(admin, site)).id}/publish`, body: {} })),
  'platform.page.restore': siteCase(200, async ({ admin, site }) => ({
    method: 'POST',
    path: `/tenants/${site.slug}/pages/${(await createTestPage(admin, site, { deleted: true })).id}/restore`,
  })),
  'theme.read': siteCase(200, async ({ site }) => ({ method: 'GET', path: `/tenants/${site.slug}/theme` })),
  // A revision no theme reaches: a permitted caller passes the permission check and meets the
  // revision check (412); an exact one would make the concurrent cases race each other.
  'theme.update': siteCase(412, async ({ site }) => ({ method: 'PUT', path: `/tenants/${site.slug}/theme`, body: { expectedRevision: 2_000_000_000, preset: 'ocean' } })),
  'post.read': siteCase(200, async ({ admin, site }) => ({ method: 'GET', path: `/tenants/${site.slug}/posts/${(await createTestPost(admin, site)).id}` })),
  'post.edit': siteCase(201, async ({ site }) => ({ method: 'POST', path: `/tenants/${site.slug}/posts`, body: { slug: uniqueSlug('matrix'), title: 'Written by the matrix' } })),
  'post.publish': siteCase(200, async ({ admin, site }) => ({ method: 'POST', path: `/tenants/${site.slug}/posts/${(await createTestPost(admin, site)).id}/schedule`, body: { at: 'now' } })),
  'submission.read': siteCase(200, async ({ admin, site }) => ({ method: 'GET', path: `/tenants/${site.slug}/submissions/${(await createTestSubmission(admin, site)).id}` })),
  'submission.export': siteCase(200, async ({ site }) => ({ method: 'GET', path: `/tenants/${site.slug}/submissions/export` })),
  'submission.delete': siteCase(204, async ({ admin, site }) => ({ method: 'DELETE', path: `/tenants/${site.slug}/submissions/${(await createTestSubmission(admin, site)).id}` })),
  'platform.tenant.list': platformCase(200, async () => ({ method: 'GET', path: '/platform/tenants' })),
  'platform.tenant.create': platformCase(201, async () => {
    const slug = uniqueSlug('made');
    return {
      method: 'POST',
      path: '/platform/tenants',
      body: { tenant: { slug, name: 'Made by the matrix', status: 'trial', plan: 'starter', domains: [], theme: { preset: 'ocean' } } },
    };
  }),
  'platform.tenant.export': platformCase(200, async ({ admin }) => {
    const { slug } = await createTestTenant(admin, { domains: [] });
    return { method: 'GET', path: `/platform/tenants/${slug}/export` };
  }),
  // A permitted caller passes the permission check and meets the archive check: these bytes are not one.
  'platform.tenant.import': platformCase(422, async () => ({ method: 'POST', path: '/platform/tenants/import', body: { not: 'an archive' } })),
  'platform.tenant.lifecycle': platformCase(200, async ({ admin }) => {
    const { slug } = await createTestTenant(admin, { domains: [] });
    return { method: 'POST', path: `/platform/tenants/${slug}/suspend` };
  }),
  'platform.apikey.manage': platformCase(200, async () => ({ method: 'GET', path: '/platform/api-keys' })),
};

/** Content actions still without a case: none. */
export const PENDING_ACTIONS: ReadonlySet<Action> = new Set<Action>();

/** Actions of the table that no operation needs yet, so no HTTP call can exercise them. */
export const ACTIONS_WITHOUT_OPERATION: ReadonlySet<Action> = new Set<Action>([
  'tenant.delete',
  'platform.tenant.plan',
  'platform.audit.read',
]);
