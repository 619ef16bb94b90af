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
  { grant: 'function mosaic_resolve_host(text,text): EXECUTE', usedBy: 'host lookup (src/site/site-queries.ts queryHost), slugs in the operations runner (src/operations/execute.ts) and findTenantId' },
  { grant: 'function mosaic_current_tenant(): EXECUTE', usedBy: 'the row-level security policies evaluate it on every tenant-scoped statement' },
  { grant: 'table tenants: SELECT', usedBy: 'queryTenant; the operations runner reads the tenant in context; bumpSiteVersion returns the new version; provisioning finds slugs' },
  { grant: 'table tenants: INSERT', usedBy: 'createTenant (src/operations/tenants/create-tenant.ts), a platform operation' },
  {
    grant: 'table tenants (name, plan, settings, site_version, status, updated_at): UPDATE',
    usedBy:
      'bumpSiteVersion (src/publishing/site-version.ts) on every site change; updateTenant for name and settings; replaceTenant (src/operations/tenants/write-tenant.ts) for status and plan',
  },
  { grant: 'table domains: SELECT', usedBy: 'queryTenant reads the verified primary hostname; provisioning checks domain claims (findDomainOwners)' },
  { grant: 'table domains: INSERT', usedBy: 'provisioning writes a site’s domains (src/operations/tenants/write-tenant.ts)' },
  { grant: 'table domains: DELETE', usedBy: 'provisioning replaces a site’s domains (src/operations/tenants/write-tenant.ts)' },
  { grant: 'table themes: SELECT', usedBy: 'queryTheme (src/site/site-queries.ts), for every rendered page; readTheme' },
  { grant: 'table themes: INSERT', usedBy: 'updateTheme for a site without a theme; provisioning (write-tenant.ts)' },
  { grant: 'table themes: UPDATE', usedBy: 'updateTheme (src/operations/themes/update-theme.ts, which locks the row); provisioning (write-tenant.ts)' },
  { grant: 'table pages: SELECT', usedBy: 'queryPublishedPage; every page operation reads and locks pages (src/operations/pages/page-store.ts)' },
  { grant: 'table pages: INSERT', usedBy: 'createPage; publishComposition creates the page at a new path' },
  {
    grant:
      'table pages (deleted_at, deleted_by, draft, draft_revision, draft_updated_at, draft_updated_by, path, published_version_id, updated_at, withdrawn_version_id): UPDATE',
    usedBy:
      'saveDraft (draft_*), publishing and rollback (published_version_id), unpublishPage, deletePage and restorePage (withdrawn_version_id, deleted_*), changePath (path); lockPage locks the row FOR UPDATE',
  },
  { grant: 'table page_versions: SELECT', usedBy: 'queryPublishedPage; publishing numbers versions; versions, diffs and rollback read them' },
  { grant: 'table page_versions: INSERT', usedBy: 'addPublishedVersion (src/operations/pages/page-store.ts) adds an immutable version' },
  { grant: 'table posts: SELECT', usedBy: 'queryLatestPosts and queryPost (the Blog section and post pages); the post operations' },
  { grant: 'table posts: INSERT', usedBy: 'createPost; provisioning upserts posts' },
  { grant: 'table posts: UPDATE', usedBy: 'updatePost and schedulePost (which lock the row); provisioning upserts posts' },
  { grant: 'table posts: DELETE', usedBy: 'deletePost (src/operations/posts/delete-post.ts)' },
  { grant: 'table form_submissions: INSERT', usedBy: 'submitContact (src/forms/contact-submission.ts)' },
  { grant: 'table form_submissions: SELECT', usedBy: 'listSubmissions, readSubmission and exportSubmissions (src/operations/submissions/)' },
  { grant: 'table form_submissions: DELETE', usedBy: 'deleteSubmissions (src/operations/submissions/delete-submission.ts)' },
  { grant: 'table audit_log: INSERT', usedBy: 'appendAudit (src/operations/audit-trail.ts), in every change; recordJobFailure' },
  { grant: 'table audit_log: SELECT', usedBy: 'listAudit (src/operations/audit/list-audit.ts); updates are refused by a trigger' },
  { grant: 'table jobs: SELECT', usedBy: 'page lists show the next scheduled publish; listSchedules; lockJob (src/jobs/job-store.ts)' },
  { grant: 'table jobs: INSERT', usedBy: 'enqueueJob, from schedulePublish (src/operations/pages/schedule-publish.ts)' },
  {
    grant: 'table jobs (finished_at, last_error, locked_by, locked_until, run_at, status, updated_at): UPDATE',
    usedBy: 'the job runner marks jobs done or failed (finishJob, recordJobFailure); cancelSchedule and deletePage cancel them; lockJob locks FOR UPDATE',
  },
  { grant: 'function mosaic_claim_jobs(text,integer,integer): EXECUTE', usedBy: 'the job runner claims due jobs across tenants (src/jobs/job-store.ts claimJobs)' },
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
