import type { ErrorDetail } from '../errors/catalog.ts';
import { compositionSchema, type PageComposition, type ParsedSection } from './composition-schema.ts';

/** The slice of the registry that validation needs. */
export interface SectionValidator {
  validateSections(
    sections: unknown,
    tenantSlug: string,
  ): { sections: ParsedSection[]; issues: readonly { path: string; message: string }[] };
}

export type CompositionResult = { ok: true; composition: PageComposition } | { ok: false; issues: ErrorDetail[] };

/** Formats a zod issue path the way editors read it: `sections[2].props.title`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    return out ? `${out}.${String(key)}` : String(key);
  }, '');
}

/** Checks page fields and every section; returns all problems at once, or the parsed page. */
export function validateComposition(input: unknown, tenantSlug: string, registry: SectionValidator): CompositionResult {
  const page = compositionSchema.safeParse(input);
  const issues: ErrorDetail[] = [];
  if (!page.success) {
    for (const issue of page.error.issues) {
      issues.push({ path: formatIssuePath(issue.path) || '(root)', message: issue.message });
    }
  }
  const rawSections = typeof input === 'object' && input !== null ? (input as { sections?: unknown }).sections : undefined;
  const checked = Array.isArray(rawSections) ? registry.validateSections(rawSections, tenantSlug) : null;
  if (checked) {
    const known = new Set(issues.map((i) => i.path));
    for (const issue of checked.issues) if (!known.has(issue.path)) issues.push({ ...issue });
  }
  if (issues.length > 0 || !page.success || !checked) return { ok: false, issues };
  const { path, title, meta } = page.data;
  return { ok: true, composition: { path, title, meta, sections: checked.sections } };
}
