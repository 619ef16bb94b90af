import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiDeps, ApiEnv } from './api-env.ts';
import { accountLinksResource } from './resources/account-links.ts';
import { apiKeysResource } from './resources/api-keys.ts';
import { auditResource } from './resources/audit.ts';
import { blueprintsResource } from './resources/blueprints.ts';
import { domainsResource } from './resources/domains.ts';
import { meResource } from './resources/me.ts';
import { lifecycleResource } from './resources/lifecycle.ts';
import { mediaResource } from './resources/media.ts';
import { membersResource } from './resources/members.ts';
import { pagesResource } from './resources/pages.ts';
import { postsResource } from './resources/posts.ts';
import { provisioningResource } from './resources/provisioning.ts';
import { plansResource } from './resources/plans.ts';
import { registryResource } from './resources/registry.ts';
import { sessionResource } from './resources/session.ts';
import { siteArchivesResource } from './resources/site-archives.ts';
import { submissionsResource } from './resources/submissions.ts';
import { tenantsResource } from './resources/tenants.ts';
import { themeResource } from './resources/theme.ts';

/** Every resource module of `/api/v1`, one line each. */
export const RESOURCES: readonly ((deps: ApiDeps) => OpenAPIHono<ApiEnv>)[] = [
  sessionResource,
  meResource,
  accountLinksResource,
  tenantsResource,
  membersResource,
  domainsResource,
  apiKeysResource,
  auditResource,
  registryResource,
  pagesResource,
  themeResource,
  postsResource,
  submissionsResource,
  lifecycleResource,
  plansResource,
  blueprintsResource,
  provisioningResource,
  mediaResource,
  siteArchivesResource,
];
