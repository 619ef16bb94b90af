/**
 * Every privilege the app role (`mosaic_app`) holds, and the code path that needs it. The role
 * holds nothing else: `tests/db/app-role-grants.test.ts` reads its effective privileges from the
 * catalog (direct grants, grants to PUBLIC, role memberships) and compares them with this list.
 * A new query that needs a new privilege adds it here, in a new migration, and names its user.
 */
export interface AppRoleGrant {
  /** As `describePrivilege` prints it: `table pages (published_version_id, updated_at): UPDATE`. */
  grant: string;
  usedBy: string;
}

export const APP_ROLE_GRANTS: readonly AppRoleGrant[] = [
  { grant: 'database: CONNECT', usedBy: 'every server connection (src/db/postgres-database.ts)' },
  { grant: 'schema public: USAGE', usedBy: 'every query names tables in the public schema' },
  { grant: 'function mosaic_resolve_host(text,text): EXECUTE', usedBy: 'host lookup (src/site/site-queries.ts queryHost) and findTenantId (scripts/publish.ts)' },
  { grant: 'function mosaic_current_tenant(): EXECUTE', usedBy: 'the row-level security policies evaluate it on every tenant-scoped statement' },
  { grant: 'table tenants: SELECT', usedBy: 'queryTenant; publishPage reads the slug; bumpSiteVersion returns the new version' },
  {
    grant: 'table tenants (name, settings, site_version, updated_at): UPDATE',
    usedBy: 'bumpSiteVersion (src/publishing/site-version.ts) on publish and rollback; updateTenant (src/operations/tenants/update-tenant.ts) for name and settings',
  },
  { grant: 'table domains: SELECT', usedBy: 'queryTenant reads the verified primary hostname' },
  { grant: 'table themes: SELECT', usedBy: 'queryTheme (src/site/site-queries.ts), for every rendered page' },
  { grant: 'table pages: SELECT', usedBy: 'queryPublishedPage; publishPage and rollbackPage find and lock the page' },
  { grant: 'table pages: INSERT', usedBy: 'publishPage creates the page row on first publish (lockPage)' },
  { grant: 'table pages (published_version_id, updated_at): UPDATE', usedBy: 'publishPage and rollbackPage move the published pointer (and lock the row FOR UPDATE)' },
  { grant: 'table page_versions: SELECT', usedBy: 'queryPublishedPage; publishPage numbers versions; rollbackPage finds the target' },
  { grant: 'table page_versions: INSERT', usedBy: 'publishPage adds an immutable version' },
  { grant: 'table posts: SELECT', usedBy: 'queryLatestPosts and queryPost (the Blog section and post pages)' },
  { grant: 'table form_submissions: INSERT', usedBy: 'submitContact (src/forms/contact-submission.ts)' },
  { grant: 'table audit_log: INSERT', usedBy: 'recordAudit, on publish and rollback' },
  { grant: 'table change_outbox: INSERT', usedBy: 'recordChange (src/publishing/change-outbox.ts), in the same transaction as every site change' },
  { grant: 'function mosaic_claim_changes(integer,integer): EXECUTE', usedBy: 'the change dispatcher claims undelivered notices (src/app/change-dispatcher.ts)' },
  { grant: 'function mosaic_finish_changes(uuid[]): EXECUTE', usedBy: 'change delivery retires delivered notices (src/app/change-delivery.ts)' },
  { grant: 'function mosaic_change_backlog(): EXECUTE', usedBy: 'the outbox backlog metrics (src/app/change-dispatcher.ts)' },
  { grant: 'function mosaic_current_user(): EXECUTE', usedBy: 'the row-level security policies on users, memberships and the platform audit trail' },
  { grant: 'function mosaic_platform_scope(): EXECUTE', usedBy: 'the platform_scope policies, true only inside platform operations (src/operations/execute.ts)' },
  { grant: 'function mosaic_user_tenants(uuid): EXECUTE', usedBy: 'listMyTenants (src/operations/tenants/list-tenants.ts)' },
  { grant: 'table memberships: SELECT', usedBy: "the operations runner reads the actor's role on the tenant (src/operations/execute.ts roleOn)" },
  { grant: 'table platform_audit_log: INSERT', usedBy: 'appendAudit for operations outside one tenant (src/operations/audit-trail.ts)' },
  { grant: 'attribute: LOGIN', usedBy: 'the server connects as this role' },
];
