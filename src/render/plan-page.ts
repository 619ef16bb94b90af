import type { PageComposition, ParsedSection } from '../compositions/composition-schema.ts';
import type { SiteRepository } from '../site/site-repository.ts';
import type { PostRecord, TenantRecord } from '../site/site-types.ts';
import type { RenderedTheme } from '../site/tenant-theme.ts';
import type { SectionComponent, SectionDataSource, SiteInfo } from '../../registry/types.ts';

/** The slice of the registry rendering needs. */
export interface SectionResolver {
  resolve(
    section: { type: string; variant?: string },
    tenantSlug: string,
  ): {
    definition: {
      type: string;
      interactive: boolean;
      fragment?: 'cacheable';
      variants: Readonly<Record<string, { interactive?: boolean }>>;
      schema: { parse(input: unknown): unknown };
      load?: (source: SectionDataSource, props: never) => Promise<unknown>;
      maxAgeSeconds?: (data: never) => number | null;
    };
    component: SectionComponent;
    variant: string | null;
  };
}

export interface PlannedSection {
  key: string;
  /** Its place in the page's sections (hidden ones included): previews mark sections with it. */
  index: number;
  type: string;
  maxAgeSeconds: number | null;
  variant: string | null;
  component: SectionComponent;
  props: unknown;
  data: unknown;
  /** Its rendered HTML may be reused while its inputs stay the same (see `SectionSpec.fragment`). */
  cacheable: boolean;
}

/** Everything the page template needs; deciding it here keeps the template free of logic. */
export interface PagePlan {
  status: 200 | 404;
  title: string;
  description: string | null;
  canonicalUrl: string;
  ogImageUrl: string | null;
  noindex: boolean;
  theme: RenderedTheme;
  site: SiteInfo;
  sections: PlannedSection[];
  /** Set when the page is a blog post rendered between the home page's header and footer. */
  post: PostRecord | null;
  /** The shortest reuse time any section asks for; null when the page changes only on publish. */
  maxAgeSeconds: number | null;
}

const POST_PATH = /^\/blog\/([a-z0-9](?:[a-z0-9-]{0,118}[a-z0-9])?)$/;
const FLAG_NAMES = ['contact'] as const;

export async function planPage(input: {
  repo: SiteRepository;
  registry: SectionResolver;
  tenant: TenantRecord;
  origin: string;
  url: URL;
  /** A draft to render in place of what is published (a preview); never indexed. */
  draft?: PageComposition;
}): Promise<PagePlan> {
  const { repo, tenant, origin, url, draft } = input;
  const path = draft ? draft.path : normalizePath(url.pathname);
  const [theme, found] = await Promise.all([repo.theme(tenant), draft ? { page: draft, post: null } : findPage(repo, tenant, path)]);
  const page = found.page ?? (await repo.page(tenant, '/404')) ?? builtInNotFound(tenant);
  const status = found.page ? 200 : 404;

  const site: SiteInfo = {
    slug: tenant.slug,
    name: tenant.name,
    origin,
    path,
    logoUrl: theme.logoUrl,
    flags: readFlags(url),
  };
  const source: SectionDataSource = { latestPosts: (limit) => repo.latestPosts(tenant, limit) };
  // Hidden sections are skipped before their data is loaded: they cost visitors nothing.
  const shown = page.sections.flatMap((section, index) => (section.hidden ? [] : [{ section, index }]));
  const sections = await Promise.all(shown.map(({ section, index }) => planSection(input.registry, tenant.slug, source, section, index)));
  const canonicalPath = page.meta.canonical ?? path;
  return {
    status,
    title: found.post ? `${found.post.title} · ${tenant.name}` : page.title,
    description: found.post?.excerpt ?? page.meta.description ?? null,
    canonicalUrl: `${origin}${canonicalPath === '/' ? '/' : canonicalPath}`,
    ogImageUrl: page.meta.ogImage ? new URL(page.meta.ogImage, origin).toString() : null,
    noindex: status !== 200 || page.meta.noindex === true || draft !== undefined,
    theme,
    site,
    sections,
    post: found.post,
    maxAgeSeconds: shortest(sections.map((s) => s.maxAgeSeconds)),
  };
}

function shortest(values: (number | null)[]): number | null {
  const set = values.filter((v): v is number => v !== null);
  return set.length ? Math.min(...set) : null;
}

async function planSection(
  registry: SectionResolver,
  tenantSlug: string,
  source: SectionDataSource,
  section: ParsedSection,
  index: number,
): Promise<PlannedSection> {
  const resolved = registry.resolve(section, tenantSlug);
  // Stored props were validated on publish; parsing again applies defaults added since.
  const props = resolved.definition.schema.parse(section.props);
  const data = resolved.definition.load ? await resolved.definition.load(source, props as never) : undefined;
  return {
    key: `${index}-${section.type}`,
    index,
    type: section.type,
    maxAgeSeconds: resolved.definition.maxAgeSeconds?.(data as never) ?? null,
    variant: resolved.variant,
    component: resolved.component,
    props,
    data,
    cacheable: isCacheable(resolved.definition, resolved.variant),
  };
}

/** What the spec declares, unless the chosen component hydrates on the client (its island scripts belong to the page). */
function isCacheable(definition: ReturnType<SectionResolver['resolve']>['definition'], variant: string | null): boolean {
  const interactive = variant === null ? definition.interactive : definition.variants[variant]?.interactive === true;
  return definition.fragment === 'cacheable' && !interactive;
}

interface FoundPage {
  page: PageComposition | null;
  post: PostRecord | null;
}

/** A published page at the path, or a blog post framed by the home page's header and footer. */
async function findPage(repo: SiteRepository, tenant: TenantRecord, path: string): Promise<FoundPage> {
  if (path === '/404') return { page: null, post: null };
  const page = await repo.page(tenant, path);
  if (page) return { page, post: null };
  const slug = POST_PATH.exec(path)?.[1];
  if (!slug) return { page: null, post: null };
  const [post, home] = await Promise.all([repo.post(tenant, slug), repo.page(tenant, '/')]);
  if (!post) return { page: null, post: null };
  const frame = (home?.sections ?? []).filter((s) => s.type === 'header' || s.type === 'footer');
  return {
    page: { path, title: post.title, meta: { description: post.excerpt }, sections: frame },
    post,
  };
}

export function normalizePath(pathname: string): string {
  const trimmed = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  return trimmed === '' ? '/' : trimmed;
}

function readFlags(url: URL): Record<string, string> {
  const flags: Record<string, string> = {};
  for (const name of FLAG_NAMES) {
    const value = url.searchParams.get(name);
    if (value && /^[a-z-]{1,20}$/.test(value)) flags[name] = value;
  }
  return flags;
}

function builtInNotFound(tenant: TenantRecord): PageComposition {
  return { path: '/404', title: `Page not found · ${tenant.name}`, meta: {}, sections: [] };
}
