import type { AppServices } from '../app/app-services.ts';
import type { ErrorName } from '../errors/catalog.ts';
import type { BodyRead } from '../request/read-body.ts';
import { createPreviewLinks } from '../preview/preview-links.ts';
import { createApiApp, type ApiApp } from './api-app.ts';

/** The largest admin API body (a page composition with every section is far below it). */
export const API_BODY_LIMIT = 1024 * 1024;

/** Why a body could not be read, in catalog terms. */
export const REFUSED_READS: Readonly<Record<Exclude<BodyRead, { ok: true }>['reason'], ErrorName>> = {
  'too-large': 'PayloadTooLarge',
  timeout: 'RequestTimeout',
  busy: 'Overloaded',
  aborted: 'BadRequest',
};

export type ApiServices = Pick<AppServices, 'auth' | 'logger' | 'apiRateLimit' | 'originLimit' | 'repo' | 'config'>;

const apps = new WeakMap<ApiServices, ApiApp>();

/** The process's API app, built once (its routes and document) and shared by the Node front and `astro dev`. */
export function apiAppOf(services: ApiServices): ApiApp {
  let api = apps.get(services);
  if (!api) {
    const previews = createPreviewLinks({ keys: services.auth.deps.keys, tenant: (id) => services.repo.tenant(id), config: services.config });
    const { repo } = services;
    const tenantBySlug = async (slug: string) => {
      const match = await repo.findHost(null, slug);
      return match ? repo.tenant(match.tenantId) : null;
    };
    api = createApiApp({ auth: services.auth, logger: services.logger, rateLimit: services.apiRateLimit, originLimit: services.originLimit, tenantBySlug, previews, retryAfterSeconds: services.config.retryAfterSeconds });
    apps.set(services, api);
  }
  return api;
}
