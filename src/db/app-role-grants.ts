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
    grant: 'table tenants (deleted_at, name, plan, settings, site_version, status, trial_ends_at, updated_at): UPDATE',
    usedBy:
      'bumpSiteVersion (src/publishing/site-version.ts) on every site change; updateTenant for name and settings; replaceTenant (src/operations/tenants/write-tenant.ts) for status and plan; the life-cycle operations (src/operations/tenants/tenant-lifecycle.ts) for status, trial_ends_at and deleted_at, in platform scope only (trigger); lockedTenantPlan locks the row FOR NO KEY UPDATE',
  },
  { grant: 'table tenants: DELETE', usedBy: 'purgeDeletedTenants (src/operations/tenants/tenant-lifecycle.ts): platform scope only (row-level security), deleted sites only (trigger)' },
  { grant: 'table domains: SELECT', usedBy: 'queryTenant reads the verified primary hostname; provisioning checks domain claims (findDomainOwners)' },
  { grant: 'table domains: INSERT', usedBy: 'provisioning writes a site’s domains (src/operations/tenants/write-tenant.ts); addDomain' },
  { grant: 'table domains: DELETE', usedBy: 'provisioning replaces a site’s domains (src/operations/tenants/write-tenant.ts); removeDomain' },
  {
    grant: 'table domains (broken_since, checked_at, is_primary, last_check_error, verified, verified_at): UPDATE',
    usedBy: 'verifyDomain and the domain check jobs (src/operations/domains/), makePrimaryDomain',
  },
  { grant: 'function mosaic_tls_domains(uuid): EXECUTE', usedBy: 'the on-demand TLS allow-list loads verified domains across tenants (src/domains/tls-allow-list.ts)' },
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
  { grant: 'table idempotency_keys: SELECT', usedBy: 'the admin API reads the answer stored under an Idempotency-Key (src/api/idempotency-store.ts)' },
  { grant: 'table idempotency_keys: INSERT', usedBy: 'the admin API claims an Idempotency-Key in the transaction of the call it guards (src/api/idempotency-store.ts)' },
  { grant: 'table idempotency_keys (response_body, response_status): UPDATE', usedBy: 'the admin API stores the answer of a call made with an Idempotency-Key (src/api/idempotency-store.ts)' },
  { grant: 'table idempotency_keys: DELETE', usedBy: 'the admin API clears an expired claim before a key is used again (src/api/idempotency-store.ts)' },
  { grant: 'function mosaic_claim_jobs(text,integer,integer,text[]): EXECUTE', usedBy: 'the job runner claims due jobs of the kinds it knows across tenants (src/jobs/job-store.ts claimJobs)' },
  { grant: 'table change_outbox: INSERT', usedBy: 'recordChange (src/publishing/change-outbox.ts), in the same transaction as every site change' },
  { grant: 'function mosaic_claim_changes(integer,integer): EXECUTE', usedBy: 'the change dispatcher claims undelivered notices (src/app/change-dispatcher.ts)' },
  { grant: 'function mosaic_finish_changes(uuid[]): EXECUTE', usedBy: 'change delivery retires delivered notices (src/app/change-delivery.ts)' },
  { grant: 'function mosaic_change_backlog(): EXECUTE', usedBy: 'the outbox backlog metrics (src/app/change-dispatcher.ts)' },
  { grant: 'function mosaic_current_user(): EXECUTE', usedBy: 'the row-level security policies on users, memberships and the platform audit trail' },
  { grant: 'function mosaic_platform_scope(): EXECUTE', usedBy: 'the platform_scope policies, true only inside platform operations (src/operations/execute.ts)' },
  { grant: 'function mosaic_user_tenants(uuid): EXECUTE', usedBy: 'listMyTenants (src/operations/tenants/list-tenants.ts)' },
  { grant: 'table memberships: SELECT', usedBy: "the operations runner reads the actor's role on the tenant (src/operations/execute.ts roleOn); listMembers" },
  { grant: 'table platform_audit_log: INSERT', usedBy: 'appendAudit for operations outside one tenant (src/operations/audit-trail.ts)' },
  // Accounts (migration 2026-11-25T02-00-00_accounts). Password and key-secret hashes are not readable: only the lookup functions return them.
  { grant: 'function mosaic_sign_in_lookup(text): EXECUTE', usedBy: 'signIn, changePassword, acceptInvitation, addMember and the demo sign-in hint find an account by email (src/auth/account-lookups.ts findAccount)' },
  { grant: 'function mosaic_session_lookup(text): EXECUTE', usedBy: 'authenticateSession finds the session a cookie names (src/auth/session-auth.ts)' },
  { grant: 'function mosaic_touch_session(text,timestamp with time zone): EXECUTE', usedBy: 'authenticateSession moves last_seen_at, at most once a minute' },
  { grant: 'function mosaic_api_key_lookup(text): EXECUTE', usedBy: 'authenticateApiKey finds a key by its prefix (src/auth/api-key-auth.ts)' },
  { grant: 'function mosaic_touch_api_key(uuid,timestamp with time zone): EXECUTE', usedBy: 'authenticateApiKey records the last use, at most once a minute' },
  { grant: 'function mosaic_invitation_lookup(text): EXECUTE', usedBy: 'previewInvitation and acceptInvitation find an invitation by its token (src/auth/invitation-flow.ts)' },
  { grant: 'function mosaic_password_reset_lookup(text): EXECUTE', usedBy: 'confirmPasswordReset finds a reset by its token (src/auth/password-reset-flow.ts)' },
  {
    grant: 'table users (created_at, disabled_at, email, id, name, platform_role, updated_at): SELECT',
    usedBy: 'listMembers, inviteMember (already a member?), readMe, the platform user operations (src/operations/users/), acceptInvitation (does the account exist?)',
  },
  { grant: 'table users (email, id, name, password_hash, platform_role): INSERT', usedBy: 'createUser (platform) and acceptInvitation (a new address creates its account)' },
  {
    grant: 'table users (disabled_at, name, password_hash, platform_role, updated_at): UPDATE',
    usedBy: 'setUserDisabled, setPlatformRole (platform scope only, enforced by the users_guard trigger); changePassword, resetPassword, createSession (re-hash)',
  },
  { grant: 'table memberships: INSERT', usedBy: 'acceptInvitation and addMember (src/operations/members/add-member.ts)' },
  { grant: 'table memberships (role, updated_at): UPDATE', usedBy: 'changeMemberRole; keepAnOwner and lockMembership lock rows FOR UPDATE' },
  { grant: 'table memberships: DELETE', usedBy: 'removeMember (src/operations/members/remove-member.ts)' },
  {
    grant: 'table sessions (created_at, expires_at, id, ip, last_seen_at, revoked_at, user_agent, user_id): SELECT',
    usedBy: 'listMySessions; signOut, revokeAllSessions and changePassword find the sessions they end',
  },
  { grant: 'table sessions: INSERT', usedBy: 'createSession at sign-in (src/operations/me/sessions.ts)' },
  { grant: 'table sessions (revoked_at): UPDATE', usedBy: 'signOut, signOutEverywhere, changePassword, resetPassword, setUserDisabled, revokeUserSessions' },
  { grant: 'table invitations: SELECT', usedBy: 'listInvitations, revokeInvitation, acceptInvitation (locks the row by its token hash)' },
  { grant: 'table invitations: INSERT', usedBy: 'inviteMember (src/operations/invitations/invite-member.ts)' },
  { grant: 'table invitations (accepted_at, accepted_by, revoked_at): UPDATE', usedBy: 'acceptInvitation; revokeInvitation; inviteMember replaces an open invitation' },
  { grant: 'table password_resets (created_at, expires_at, id, token_hash, used_at, user_id): SELECT', usedBy: 'resetPassword locks the reset by its token hash' },
  { grant: 'table password_resets: INSERT', usedBy: 'issuePasswordReset (src/operations/users/issue-password-reset.ts)' },
  { grant: 'table password_resets (used_at): UPDATE', usedBy: 'resetPassword uses the link and every other open one of the account' },
  {
    grant: 'table api_keys (created_at, created_by, created_by_id, expires_at, id, last_used_at, name, prefix, revoked_at, role, tenant_id): SELECT',
    usedBy: 'listApiKeys, listPlatformApiKeys, revokeApiKey, revokeAnyApiKey, and the key returned by createApiKey',
  },
  { grant: 'table api_keys: INSERT', usedBy: 'createApiKey and createPlatformApiKey (src/operations/api-keys/store-api-key.ts)' },
  { grant: 'table api_keys (revoked_at): UPDATE', usedBy: 'revokeApiKey and revokeAnyApiKey' },
  // Media (migration 2026-11-27T10-00-00_media): the library's rows, and the original bytes of the Postgres media store.
  { grant: 'table media: SELECT', usedBy: 'listMedia, readMedia, and the media route on a site’s host checks the image exists (src/media/media-images.ts)' },
  { grant: 'table media: INSERT', usedBy: 'uploadMedia (src/operations/media/upload-media.ts)' },
  { grant: 'table media (alt, updated_at, updated_by): UPDATE', usedBy: 'updateMedia changes alt text; updateMedia and deleteMedia lock the row FOR UPDATE' },
  { grant: 'table media: DELETE', usedBy: 'deleteMedia (src/operations/media/delete-media.ts)' },
  { grant: 'table media_blobs: SELECT', usedBy: 'postgresMediaStore.get (src/media/media-store.ts), when the media route resizes an image' },
  { grant: 'table media_blobs: INSERT', usedBy: 'postgresMediaStore.put, from uploadMedia' },
  { grant: 'table media_blobs: DELETE', usedBy: 'postgresMediaStore.delete, from deleteMedia' },
  { grant: 'attribute: LOGIN', usedBy: 'the server connects as this role' },
];
