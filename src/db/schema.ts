import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T extends object | null> = JSONColumnType<T, string, string>;

export type TenantStatus = 'trial' | 'active' | 'suspended' | 'cancelled';
export type TenantPlan = 'free' | 'starter' | 'pro' | 'enterprise';

export interface TenantsTable {
  id: Generated<string>;
  slug: string;
  name: string;
  status: ColumnType<TenantStatus, TenantStatus | undefined, TenantStatus>;
  plan: ColumnType<TenantPlan, TenantPlan | undefined, TenantPlan>;
  settings: Json<Record<string, unknown>>;
  /** Per-tenant changes to the plan's limits and features (see `src/plans`). */
  plan_overrides: ColumnType<Record<string, unknown>, string | undefined, string>;
  // bigint arrives from pg as a string
  site_version: ColumnType<string, never, string | number>;
  /** When a trial becomes suspended, unless made active first. */
  trial_ends_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Set when deleted (soft): the site is gone for visitors and members until restored or purged. */
  deleted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DomainsTable {
  tenant_id: string;
  hostname: string;
  is_primary: ColumnType<boolean, boolean | undefined, boolean>;
  verified: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  /** The value of the `_mosaic-challenge.<hostname>` TXT record that proves control of the name. */
  challenge_token: string | null;
  verified_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The last DNS check, first verification or periodic re-check. */
  checked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Set when a re-check of a verified domain no longer finds its record; cleared when it does. */
  broken_since: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  last_check_error: string | null;
}

export interface ThemesTable {
  tenant_id: string;
  preset: string;
  overrides: Json<Record<string, unknown>>;
  logo_url: string | null;
  favicon_url: string | null;
  updated_at: Timestamp;
  revision: ColumnType<number, number | undefined, number>;
}

export interface PagesTable {
  tenant_id: string;
  id: Generated<string>;
  path: string;
  published_version_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** The working draft: title, meta and sections (the path is the page's). */
  draft: ColumnType<Record<string, unknown>, string | undefined, string>;
  draft_revision: ColumnType<number, number | undefined, number>;
  draft_updated_at: Timestamp;
  draft_updated_by: string | null;
  /** What was published when the page was unpublished or deleted, for a restore. */
  withdrawn_version_id: string | null;
  deleted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  deleted_by: string | null;
}

export interface PageVersionsTable {
  tenant_id: string;
  id: Generated<string>;
  page_id: string;
  version: number;
  composition: Json<object>;
  created_by: string;
  created_at: Timestamp;
  /** The draft revision the version was made from; null for versions older than drafts. */
  source_revision: number | null;
}

export interface PostsTable {
  tenant_id: string;
  id: Generated<string>;
  slug: string;
  title: string;
  excerpt: ColumnType<string, string | undefined, string>;
  body: ColumnType<string, string | undefined, string>;
  author: string | null;
  /** Null: a draft; in the future: scheduled. */
  published_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface FormSubmissionsTable {
  tenant_id: string;
  id: Generated<string>;
  form: string;
  page_path: string;
  data: Json<Record<string, string>>;
  created_at: Timestamp;
}

export type MediaContentType = 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif' | 'image/avif';

/** What a site's media library lists; the bytes are in `media_blobs` (see `src/media/media-store.ts`). */
export interface MediaTable {
  tenant_id: string;
  id: Generated<string>;
  content_type: MediaContentType;
  byte_size: number;
  width: number;
  height: number;
  sha256: string;
  filename: ColumnType<string, string | undefined, string>;
  alt: string;
  created_at: Timestamp;
  created_by: string;
  updated_at: Timestamp;
  updated_by: string;
}

export interface MediaBlobsTable {
  tenant_id: string;
  media_id: string;
  bytes: Buffer;
}

export type ActorKind = 'user' | 'api-key' | 'system' | 'cli';
export type TenantRole = 'owner' | 'admin' | 'editor' | 'viewer';

type NullableJson = ColumnType<unknown, string | null | undefined, string | null>;

/** What an audit record holds, in a tenant's trail or in the platform's. */
interface AuditColumns {
  id: Generated<string>;
  action: string;
  subject: string;
  detail: Json<Record<string, unknown>>;
  /** A readable label, e.g. `user:<id>`; `actor_kind` and `actor_id` are the filterable parts. */
  actor: string;
  actor_kind: ColumnType<ActorKind, ActorKind | undefined, ActorKind>;
  actor_id: string | null;
  before: NullableJson;
  after: NullableJson;
  client_address: string | null;
  created_at: Timestamp;
}

/** Change notices not yet delivered to every instance (see `src/publishing/change-outbox.ts`). */
export interface ChangeOutboxTable {
  tenant_id: string;
  id: string;
  site_version: ColumnType<string, string | number, never>;
  reason: string;
  hostnames: Json<string[]>;
  created_at: Timestamp;
  available_at: Timestamp;
  attempts: ColumnType<number, never, never>;
}

export interface AuditLogTable extends AuditColumns {
  tenant_id: string;
}

export type PlatformAuditLogTable = AuditColumns;

export interface UsersTable {
  id: Generated<string>;
  email: string;
  name: ColumnType<string, string | undefined, string>;
  platform_role: ColumnType<'admin' | null, 'admin' | null | undefined, 'admin' | null>;
  disabled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** A PHC-style scrypt string; the app role may write it but never read it (see `mosaic_sign_in_lookup`). */
  password_hash: ColumnType<never, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MembershipsTable {
  tenant_id: string;
  user_id: string;
  role: TenantRole;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type JobStatus = 'pending' | 'running' | 'done' | 'failed' | 'cancelled';

/** Work to do at a time for one tenant (see `src/jobs/`). */
export interface JobsTable {
  tenant_id: string;
  id: Generated<string>;
  kind: string;
  subject: ColumnType<string, string | undefined, string>;
  payload: Json<Record<string, unknown>>;
  run_at: Timestamp;
  status: ColumnType<JobStatus, JobStatus | undefined, JobStatus>;
  attempts: ColumnType<number, never, never>;
  max_attempts: ColumnType<number, number | undefined, never>;
  locked_by: string | null;
  locked_until: ColumnType<Date | null, never, Date | string | null>;
  last_error: string | null;
  created_by: string;
  created_by_kind: ActorKind;
  created_by_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  finished_at: ColumnType<Date | null, never, Date | string | null>;
}

/** The stored answer of an API call made with an Idempotency-Key. */
export interface IdempotencyKeysTable {
  id: Generated<string>;
  tenant_id: string | null;
  actor_kind: ActorKind;
  actor_id: string;
  key: string;
  fingerprint: string;
  response_status: number | null;
  response_body: NullableJson;
  created_at: Timestamp;
  expires_at: Timestamp;
}

type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** A signed-in browser; `id` is the SHA-256 (hex) of the cookie's token, which is never stored. */
export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_seen_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
  revoked_at: NullableTimestamp;
}

export interface InvitationsTable {
  tenant_id: string;
  id: Generated<string>;
  email: string;
  role: TenantRole;
  token_hash: ColumnType<string, string, never>;
  invited_by: string;
  invited_by_id: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  accepted_at: NullableTimestamp;
  accepted_by: ColumnType<string | null, string | null | undefined, string | null>;
  revoked_at: NullableTimestamp;
}

export interface PasswordResetsTable {
  id: Generated<string>;
  user_id: string;
  token_hash: ColumnType<string, string, never>;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  client_address: ColumnType<never, string | null | undefined, never>;
}

/** `tenant_id` null is a platform key. The secret's hash is readable only by `mosaic_api_key_lookup`. */
export interface ApiKeysTable {
  id: Generated<string>;
  tenant_id: string | null;
  role: TenantRole | null;
  name: string;
  prefix: string;
  secret_hash: ColumnType<never, string, never>;
  created_by: string;
  created_by_id: string | null;
  created_at: Timestamp;
  expires_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface Database {
  tenants: TenantsTable;
  domains: DomainsTable;
  themes: ThemesTable;
  pages: PagesTable;
  page_versions: PageVersionsTable;
  posts: PostsTable;
  form_submissions: FormSubmissionsTable;
  audit_log: AuditLogTable;
  change_outbox: ChangeOutboxTable;
  platform_audit_log: PlatformAuditLogTable;
  users: UsersTable;
  memberships: MembershipsTable;
  jobs: JobsTable;
  idempotency_keys: IdempotencyKeysTable;
  sessions: SessionsTable;
  invitations: InvitationsTable;
  password_resets: PasswordResetsTable;
  api_keys: ApiKeysTable;
  media: MediaTable;
  media_blobs: MediaBlobsTable;
}
