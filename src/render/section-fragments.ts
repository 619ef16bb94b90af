import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Counter } from 'prom-client';
import { sectionFragmentKey } from '../site/cache-keys.ts';
import type { TenantRecord } from '../site/site-types.ts';
import type { RenderedTheme } from '../site/tenant-theme.ts';
import type { SiteInfo } from '../../registry/types.ts';
import type { PlannedSection } from './plan-page.ts';

/**
 * Rendered sections ("fragments"), reused when a page is rendered again with a section whose
 * inputs did not change — after a publish that touched another section, say. Per process and in
 * memory only: whole pages are already shared through Redis, and a fragment only saves render
 * work on the instance that renders.
 */
export interface FragmentStore {
  /** Counts a hit or a miss. */
  get(key: string): string | undefined;
  /** Keeps a section's HTML unless reusing it would lose something the page needs (counted `refused`; see `isReusable`). */
  set(key: string, rendered: string): void;
  holdings(): { entries: number; bytes: number };
  clear(): void;
}

/** Null when `maxBytes` is 0 (fragments off). `counts` is labelled `hit`, `miss` and `refused`. */
export function createFragmentStore(options: { maxBytes: number; counts: Counter<'result'> }): FragmentStore | null {
  if (options.maxBytes <= 0) return null;
  // Two bytes a character bounds what V8 holds for the key and the HTML; the rest is the entry.
  const lru = new LRUCache<string, string>({ maxSize: options.maxBytes, sizeCalculation: (html, key) => 2 * (key.length + html.length) + 64 });
  const { counts } = options;
  return {
    get(key) {
      const html = lru.get(key);
      counts.inc({ result: html === undefined ? 'miss' : 'hit' });
      return html;
    },
    set(key, rendered) {
      if (isReusable(rendered)) lru.set(key, String(rendered));
      else counts.inc({ result: 'refused' });
    },
    holdings: () => ({ entries: lru.size, bytes: lru.calculatedSize }),
    clear: () => lru.clear(),
  };
}

/** What one page render may reuse and keep; built once per render by the page. */
export interface PageFragments {
  /** Where a section's HTML is kept, or null when the section is rendered every time. */
  keyOf(section: PlannedSection): string | null;
  store: FragmentStore;
}

/**
 * The fragments a page render may use: none without a store or when the URL carries flags (the
 * request then shapes the page). `buildId` changes with every build, so new code never reuses
 * old HTML; the theme, the tenant's settings and the site's facts are digested once per page.
 */
export function pageFragments(
  store: FragmentStore | null,
  inputs: { tenant: TenantRecord; theme: RenderedTheme; site: SiteInfo; buildId: string },
): PageFragments | null {
  if (!store || Object.keys(inputs.site.flags).length > 0) return null;
  const { tenant, theme, site, buildId } = inputs;
  const siteInputs = digest(JSON.stringify([buildId, tenant.settings, theme, site]));
  return {
    keyOf: (section) =>
      section.cacheable && isPlain(section.data) ? sectionFragmentKey(tenant.id, siteInputs, section.type, section.variant, digest(JSON.stringify([section.props, section.data]))) : null,
    store,
  };
}

/**
 * Reusable HTML carries no island and no inline `<script>` or `<style>`. Astro writes an island's
 * runtime and a script only once per page, and adds their hashes to the page's
 * Content-Security-Policy only when it renders them: a reused copy on another page would lack
 * its runtime or be refused. Sections declared cacheable have none (the registry says so); this
 * catches one that gains them.
 */
export function isReusable(rendered: string): boolean {
  return !/<(?:script|style|astro-island|astro-slot)\b/i.test(rendered);
}

/** Data that JSON states fully (no Map, Set or class instance hiding its content from the key). */
function isPlain(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return typeof value !== 'bigint' && typeof value !== 'function' && typeof value !== 'symbol';
  if (Array.isArray(value)) return value.every(isPlain);
  const proto = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && Object.values(value).every(isPlain);
}

const digest = (text: string): string => createHash('sha256').update(text).digest('base64url');
