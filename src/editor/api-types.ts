/**
 * The shapes of the admin API answers the editor reads: the operations' own result types
 * (type-only imports, erased from the browser bundle), plus the few the API itself adds.
 */
import type { AuditRecord } from '../operations/audit/list-audit.ts';
import type { MeView } from '../operations/me/read-me.ts';
import type { Draft, PageStatus, PageSummary, PageView } from '../operations/pages/page-schemas.ts';
import type { Page } from '../operations/pagination.ts';
import type { SectionTypeView } from '../operations/registry/read-registry.ts';
import type { TenantSummary } from '../operations/tenants/list-tenants.ts';

export type { AuditRecord, Draft, PageStatus, PageSummary, PageView, TenantSummary };
export type Paged<T> = Page<T>;
export type Me = Extract<MeView, { kind: 'user' }>;
export type Membership = Me['memberships'][number];
export type SectionData = Draft['sections'][number];

/** `GET /session` and `POST /session`: the session's user and its CSRF token. */
export interface CurrentSession {
  user: { id: string; email: string; platformAdmin: boolean };
  csrfToken: string;
}

export interface SectionType extends Omit<SectionTypeView, 'propsSchema'> {
  propsSchema: JsonSchema;
}
export type SectionVariant = SectionType['variants'][number];

/** The part of JSON Schema (2020-12) the registry's props schemas use. */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  pattern?: string;
  [keyword: string]: unknown;
}
export type { MediaView } from '../operations/media/media-view.ts';
export type { ThemeView } from '../operations/themes/theme-view.ts';
export type { PostView } from '../operations/posts/post-schemas.ts';
export type { SubmissionView } from '../operations/submissions/submission-store.ts';
export type { MemberView } from '../operations/members/list-members.ts';
export type { InvitationView } from '../operations/invitations/invitation-view.ts';
