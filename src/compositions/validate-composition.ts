import type { ErrorDetail } from '../errors/catalog.ts';
import { formatIssuePath, issueMessage } from '../validation/issue-path.ts';
import { unstorableTextIssues } from '../validation/storable-text.ts';
import { compositionSchema, type PageComposition, type ParsedSection } from './composition-schema.ts';

/** The slice of the registry that validation needs. */
export interface SectionValidator {
  validateSections(
    sections: unknown,
    tenantSlug: string,
  ): { sections: ParsedSection[]; issues: readonly { path: string; message: string }[] };
}

export type CompositionResult = { ok: true; composition: PageComposition } | { ok: false; issues: ErrorDetail[] };

/**
 * Checks page fields and every section; returns all problems at once, or the parsed page.
 * Text PostgreSQL cannot store is refused here, so every caller (publishing, seeding, editors)
 * gets it as a field error rather than a failed insert.
 */
export function validateComposition(input: unknown, tenantSlug: string, registry: SectionValidator): CompositionResult {
  const issues: ErrorDetail[] = unstorableTextIssues(input);
  const known = new Set(issues.map((i) => i.path));
  const add = (issue: ErrorDetail) => {
    if (known.has(issue.path)) return;
    known.add(issue.path);
    issues.push({ path: issue.path, message: issue.message });
  };
  const page = compositionSchema.safeParse(input);
  if (!page.success) {
    for (const issue of page.error.issues) add({ path: formatIssuePath(issue.path) || '(root)', message: issueMessage(issue) });
  }
  const rawSections = typeof input === 'object' && input !== null ? (input as { sections?: unknown }).sections : undefined;
  const checked = Array.isArray(rawSections) ? registry.validateSections(rawSections, tenantSlug) : null;
  if (checked) for (const issue of checked.issues) add(issue);
  if (issues.length > 0 || !page.success || !checked) return { ok: false, issues };
  const { path, title, meta } = page.data;
  return { ok: true, composition: { path, title, meta, sections: checked.sections } };
}
