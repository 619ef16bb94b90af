import { formatIssuePath } from './issue-path.ts';

/** The one message every caller shows for text PostgreSQL refuses. */
export const UNSTORABLE_TEXT = 'contains a character that cannot be stored (a NUL or an unpaired surrogate)';

/**
 * PostgreSQL's `text` and `jsonb` refuse NUL, and `jsonb` refuses an unpaired UTF-16 surrogate
 * (in `text`, the driver would silently turn it into U+FFFD). Such input is refused up front.
 */
export function isStorableText(value: string): boolean {
  return value.isWellFormed() && !value.includes('\u0000');
}

/**
 * The path (`sections[2].props.title`) of every string in a JSON-like value, or object key, that
 * PostgreSQL cannot store. Never throws; an empty list means everything can be stored.
 */
export function findUnstorableText(value: unknown): string[] {
  const found: string[] = [];
  const seen = new Set<object>();
  const visit = (node: unknown, path: PropertyKey[]): void => {
    if (typeof node === 'string') {
      if (!isStorableText(node)) found.push(formatIssuePath(path) || '(root)');
      return;
    }
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, [...path, index]));
      return;
    }
    for (const [key, item] of Object.entries(node)) {
      // A bad key cannot be printed as a path segment; name the object that holds it.
      if (!isStorableText(key)) found.push(`${formatIssuePath(path) || '(root)'} (a field name)`);
      else visit(item, [...path, key]);
    }
  };
  visit(value, []);
  return found;
}

/** The same scan, as issues in the shape every validator reports. */
export function unstorableTextIssues(value: unknown): { path: string; message: string }[] {
  return findUnstorableText(value).map((path) => ({ path, message: UNSTORABLE_TEXT }));
}
