import type { z } from 'zod';

/**
 * What every section component receives, Astro or React alike.
 * `props` are the section's validated props (data, never markup);
 * `data` is whatever the section's `load` returned (undefined when it has none).
 */
export interface SectionRenderProps<P = unknown, D = unknown> {
  props: P;
  data: D;
  site: SiteInfo;
}

/** The few facts about the current site a section may show. Never request headers. */
export interface SiteInfo {
  slug: string;
  name: string;
  /** Absolute origin of the tenant's primary domain, e.g. `https://codersinflow.com`. */
  origin: string;
  /** Path of the page being rendered, e.g. `/about`. */
  path: string;
  logoUrl: string | null;
  /** Query-string flags the page may react to, e.g. `{ contact: 'sent' }` after a form post. */
  flags: Readonly<Record<string, string>>;
}

/** Tenant-scoped data a section may ask for while loading; the app supplies it. */
export interface SectionDataSource {
  latestPosts(limit: number): Promise<LatestPosts>;
}

export interface LatestPosts {
  posts: readonly PostSummary[];
  /** When the next scheduled post goes live (ISO date-time), or null when none is scheduled. */
  nextPublishAt: string | null;
}

export interface PostSummary {
  slug: string;
  title: string;
  excerpt: string;
  author: string | null;
  publishedAt: string; // ISO date-time
}

/** An Astro component or a React component; both render through Astro. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SectionComponent = (props: any) => unknown;

export interface VariantSpec {
  description: string;
  /** Slug of the tenant that owns this variant; absent means any tenant may name it. */
  tenant?: string;
  /** True when this variant hydrates on the client (a React island). */
  interactive?: boolean;
}

/**
 * A section type as data: name, props schema, variants and data loading. It imports no
 * component, so validation and publishing run anywhere (scripts, the server, tests).
 */
export interface SectionSpec<S extends z.ZodType = z.ZodType, D = unknown> {
  /** Stable type name used in page compositions, e.g. `hero`. */
  type: string;
  label: string;
  /** One sentence for editors choosing a section. */
  description: string;
  schema: S;
  /** Props a new section of this type starts with in the editor; valid against `schema`. */
  defaultProps: z.input<S>;
  variants: Readonly<Record<string, VariantSpec>>;
  /** True when the default component hydrates on the client. */
  interactive: boolean;
  /**
   * `cacheable`: the section's HTML depends only on its props, its loaded data and the site's
   * facts (`SiteInfo`, theme), so a rendered copy may be reused (`src/render/section-fragments.ts`).
   * Absent: rendered on every page render — anything showing per-request input (query flags, a
   * form's answer), the clock, or data that changes without a publish.
   * Interactive variants are never reused, whatever this says.
   */
  fragment?: 'cacheable';
  /** Loads tenant-scoped data for the section; rendering stays separate. */
  load?: (source: SectionDataSource, props: z.infer<S>) => Promise<D>;
  /**
   * For sections whose data changes without a publish: how long (seconds) a page showing this
   * data may be reused by the page cache and CDNs. Absent or null means until the next publish.
   */
  maxAgeSeconds?(data: D): number | null;
}

/** The components of one section type: its default and one per variant named in its spec. */
export interface SectionComponents {
  default: SectionComponent;
  variants: Readonly<Record<string, SectionComponent>>;
}

/** A section as stored in a page composition. */
export interface SectionInput {
  type: string;
  variant?: string;
  props: unknown;
}

/** One validation problem, named by its path inside the composition. */
export interface ValidationIssue {
  path: string; // e.g. `sections[2].props.title`
  message: string; // e.g. `required`
}
