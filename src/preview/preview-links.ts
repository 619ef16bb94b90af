import type { PurposeKeys } from '../auth/purpose-keys.ts';
import type { MosaicConfig } from '../config/config.ts';
import { MosaicError } from '../errors/catalog.ts';
import type { PreviewTarget } from '../operations/pages/preview-page.ts';
import { siteOrigin } from '../request/resolve-site.ts';
import type { TenantRecord } from '../site/site-types.ts';
import { PREVIEW_TOKEN_TTL_MS, previewPath, signPreviewToken } from './preview-token.ts';

export interface PreviewLink {
  /** On the tenant's own site: `<origin>/_mosaic/preview/<token>`. */
  url: string;
  draftRevision: number;
  expiresAt: string;
}

/** Turns a draft revision the caller may preview (the `page.preview` operation) into a signed link. */
export interface PreviewLinks {
  issue(target: PreviewTarget): Promise<PreviewLink>;
}

export function createPreviewLinks(deps: {
  keys: PurposeKeys;
  tenant(tenantId: string): Promise<Pick<TenantRecord, 'slug' | 'primaryHostname'> | null>;
  config: Pick<MosaicConfig, 'platformDomain' | 'publicScheme' | 'port'>;
  clock?: () => Date;
}): PreviewLinks {
  const clock = deps.clock ?? (() => new Date());
  return {
    async issue(target) {
      const tenant = await deps.tenant(target.tenantId);
      if (!tenant) throw new MosaicError('NotFound');
      const expiresAt = clock().getTime() + PREVIEW_TOKEN_TTL_MS;
      const token = signPreviewToken(deps.keys, { tenantId: target.tenantId, pageId: target.pageId, draftRevision: target.draftRevision, expiresAt });
      return { url: `${reachableOrigin(siteOrigin(tenant, deps.config), deps.config.port)}${previewPath(token)}`, draftRevision: target.draftRevision, expiresAt: new Date(expiresAt).toISOString() };
    },
  };
}

// `*.localhost` is reached on the server's own port (as the admin's links are); real hosts sit behind the usual ports.
function reachableOrigin(origin: string, port: number): string {
  const url = new URL(origin);
  const local = url.hostname === 'localhost' || url.hostname.endsWith('.localhost');
  return local && port !== 0 && port !== 80 ? `${url.protocol}//${url.hostname}:${port}` : origin;
}
