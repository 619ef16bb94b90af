import type { ParsedSection } from '../src/compositions/composition-schema.ts';
import { blog } from './sections/blog/spec.ts';
import { contact } from './sections/contact/spec.ts';
import { cta } from './sections/cta/spec.ts';
import { features } from './sections/features/spec.ts';
import { footer } from './sections/footer/spec.ts';
import { header } from './sections/header/spec.ts';
import { hero } from './sections/hero/spec.ts';
import { richText } from './sections/rich-text/spec.ts';
import { services } from './sections/services/spec.ts';
import { team } from './sections/team/spec.ts';
import { testimonials } from './sections/testimonials/spec.ts';
import type { SectionSpec, ValidationIssue } from './types.ts';
import { zodIssueMessage } from './shared/issue-message.ts';

export interface Catalog {
  get(type: string): SectionSpec | undefined;
  types(): string[];
  /** Checks every section, naming every problem by its path; parsing applies schema defaults. */
  validateSections(sections: unknown, tenantSlug: string): { sections: ParsedSection[]; issues: ValidationIssue[] };
}

export function createCatalog(specs: readonly SectionSpec[]): Catalog {
  const byType = new Map(specs.map((spec) => [spec.type, spec]));
  return {
    get: (type) => byType.get(type),
    types: () => [...byType.keys()],
    validateSections(sections, tenantSlug) {
      const issues: ValidationIssue[] = [];
      const parsed: ParsedSection[] = [];
      if (!Array.isArray(sections)) return { sections: [], issues: [{ path: 'sections', message: 'expected an array' }] };
      sections.forEach((section: unknown, index) => {
        const at = `sections[${index}]`;
        if (typeof section !== 'object' || section === null) {
          issues.push({ path: at, message: 'expected an object' });
          return;
        }
        const { type, variant, hidden, props } = section as { type?: unknown; variant?: unknown; hidden?: unknown; props?: unknown };
        const spec = typeof type === 'string' ? byType.get(type) : undefined;
        if (!spec) {
          issues.push({ path: `${at}.type`, message: typeof type === 'string' ? `unknown section type "${type}"` : 'required' });
          return;
        }
        if (variant !== undefined) {
          const variantSpec = typeof variant === 'string' && Object.hasOwn(spec.variants, variant) ? spec.variants[variant] : undefined;
          if (!variantSpec) issues.push({ path: `${at}.variant`, message: `unknown variant "${String(variant)}" for ${spec.type}` });
          else if (variantSpec.tenant && variantSpec.tenant !== tenantSlug) {
            issues.push({ path: `${at}.variant`, message: `variant "${variant}" belongs to another tenant` });
          }
        }
        const result = spec.schema.safeParse(props ?? {});
        if (!result.success) {
          for (const issue of result.error.issues) {
            const sub = issue.path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('');
            issues.push({ path: `${at}.props${sub}`, message: zodIssueMessage(issue) });
          }
          return;
        }
        parsed.push({ type: spec.type, ...(typeof variant === 'string' ? { variant } : {}), ...(hidden === true ? { hidden } : {}), props: result.data });
      });
      return { sections: parsed, issues };
    },
  };
}

/** Every section type Mosaic ships. */
export const catalog = createCatalog([header, hero, features, richText, services, team, testimonials, blog, cta, contact, footer]);
