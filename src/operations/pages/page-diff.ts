import { isDeepStrictEqual } from 'node:util';
import diff from 'microdiff';
import { formatIssuePath } from '../../validation/issue-path.ts';

/** What an editor compares: a published version or a draft, as a composition. */
export interface ComparableComposition {
  path?: string;
  title?: string;
  meta?: unknown;
  sections?: readonly { type: string; variant?: string; hidden?: boolean; props?: unknown }[];
}

export interface ValueChange {
  /** `title`, `meta.description`, or inside a section's props: `items[2].title`. */
  path: string;
  change: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

export type SectionChange =
  | { change: 'added'; type: string; to: number }
  | { change: 'removed'; type: string; from: number }
  | {
      change: 'modified';
      type: string;
      from: number;
      to: number;
      /** Its place among the sections that stayed changed, not merely shifted by an insertion. */
      moved: boolean;
      variant?: { before: string | null; after: string | null };
      /** Set when the section was hidden from visitors, or shown again. */
      visibility?: 'hidden' | 'shown';
      props: ValueChange[];
    };

export interface PageDiff {
  unchanged: boolean;
  /** Page fields: path, title and meta. */
  fields: ValueChange[];
  /** Sections added, removed, moved or edited; indexes are 0-based positions in each side. */
  sections: SectionChange[];
  /** The same, one readable line each. */
  summary: string[];
}

type Section = NonNullable<ComparableComposition['sections']>[number];

/**
 * Compares two compositions. Sections are paired first by being identical, then by type in order;
 * what stays unpaired was added or removed. A pair whose order relative to the other pairs changed
 * was moved (the longest run that kept its order stays put).
 */
export function diffCompositions(from: ComparableComposition, to: ComparableComposition): PageDiff {
  const fields = valueChanges({ path: from.path, title: from.title, meta: from.meta ?? {} }, { path: to.path, title: to.title, meta: to.meta ?? {} });
  const a = from.sections ?? [];
  const b = to.sections ?? [];
  const pairs = pairSections(a, b);
  const kept = keptInOrder(pairs);
  const sections: SectionChange[] = [];
  const pairedFrom = new Set(pairs.map(([i]) => i));
  const pairedTo = new Set(pairs.map(([, j]) => j));
  a.forEach((s, i) => void (pairedFrom.has(i) || sections.push({ change: 'removed', type: s.type, from: i })));
  for (const [i, j] of pairs) {
    const before = a[i]!;
    const after = b[j]!;
    const props = valueChanges(before.props ?? {}, after.props ?? {});
    const variantChanged = (before.variant ?? null) !== (after.variant ?? null);
    const moved = !kept.has(i);
    const visibilityChanged = isHidden(before) !== isHidden(after);
    if (!moved && !variantChanged && !visibilityChanged && props.length === 0) continue;
    sections.push({
      change: 'modified',
      type: after.type,
      from: i,
      to: j,
      moved,
      ...(variantChanged ? { variant: { before: before.variant ?? null, after: after.variant ?? null } } : {}),
      ...(visibilityChanged ? { visibility: isHidden(after) ? ('hidden' as const) : ('shown' as const) } : {}),
      props,
    });
  }
  b.forEach((s, j) => void (pairedTo.has(j) || sections.push({ change: 'added', type: s.type, to: j })));
  const summary = [...fields.map(describeField), ...sections.map(describeSection)];
  return { unchanged: summary.length === 0, fields, sections, summary };
}

/**
 * Pairs (fromIndex, toIndex): identical sections first, then each remaining section with the most
 * alike unpaired one of its type (fewest differing props, same variant, nearest place).
 */
function pairSections(a: readonly Section[], b: readonly Section[]): [number, number][] {
  const pairs: [number, number][] = [];
  const usedA = new Set<number>();
  const pairedB = new Set<number>();
  b.forEach((y, j) => {
    const i = a.findIndex((x, index) => !usedA.has(index) && isDeepStrictEqual(normal(x), normal(y)));
    if (i === -1) return;
    usedA.add(i);
    pairedB.add(j);
    pairs.push([i, j]);
  });
  b.forEach((y, j) => {
    if (pairedB.has(j)) return;
    let best = -1;
    let bestCost = Infinity;
    a.forEach((x, i) => {
      if (usedA.has(i) || x.type !== y.type) return;
      const cost =
        valueChanges(x.props ?? {}, y.props ?? {}).length +
        ((x.variant ?? null) === (y.variant ?? null) ? 0 : 1) +
        (isHidden(x) === isHidden(y) ? 0 : 1) +
        Math.abs(i - j) / 1000;
      if (cost < bestCost) [best, bestCost] = [i, cost];
    });
    if (best === -1) return;
    usedA.add(best);
    pairs.push([best, j]);
  });
  return pairs.sort(([i], [k]) => i - k);
}

const isHidden = (s: Section) => s.hidden === true;
const normal = (s: Section) => ({ type: s.type, variant: s.variant ?? null, hidden: isHidden(s), props: s.props ?? {} });

/** The from-indexes of the longest chain of pairs whose order is the same on both sides. */
function keptInOrder(pairs: readonly [number, number][]): Set<number> {
  // Longest increasing subsequence of the to-indexes, pairs being sorted by from-index.
  const length = pairs.map(() => 1);
  const previous = pairs.map(() => -1);
  let best = -1;
  pairs.forEach(([, j], n) => {
    for (let m = 0; m < n; m++) {
      if (pairs[m]![1] < j && length[m]! + 1 > length[n]!) {
        length[n] = length[m]! + 1;
        previous[n] = m;
      }
    }
    if (best === -1 || length[n]! > length[best]!) best = n;
  });
  const kept = new Set<number>();
  for (let n = best; n !== -1; n = previous[n]!) kept.add(pairs[n]![0]);
  return kept;
}

function valueChanges(before: unknown, after: unknown): ValueChange[] {
  if (typeof before !== 'object' || before === null || typeof after !== 'object' || after === null) {
    return isDeepStrictEqual(before, after) ? [] : [{ path: '(value)', change: 'changed', before, after }];
  }
  return diff(before as Record<string, unknown>, after as Record<string, unknown>).map((c) => {
    const path = formatIssuePath(c.path);
    if (c.type === 'CREATE') return { path, change: 'added', after: c.value };
    if (c.type === 'REMOVE') return { path, change: 'removed', before: c.oldValue };
    return { path, change: 'changed', before: c.oldValue, after: c.value };
  });
}

const show = (value: unknown): string => {
  const text = JSON.stringify(value) ?? 'nothing';
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
};

function describeField(c: ValueChange): string {
  if (c.change === 'added') return `${c.path} set to ${show(c.after)}`;
  if (c.change === 'removed') return `${c.path} removed (was ${show(c.before)})`;
  return `${c.path} changed from ${show(c.before)} to ${show(c.after)}`;
}

function describeSection(c: SectionChange): string {
  if (c.change === 'added') return `section ${c.to + 1} (${c.type}) added`;
  if (c.change === 'removed') return `section ${c.from + 1} (${c.type}) removed`;
  const parts = [
    c.moved ? `moved from position ${c.from + 1} to ${c.to + 1}` : null,
    c.variant ? `variant ${c.variant.before ?? 'default'} → ${c.variant.after ?? 'default'}` : null,
    c.visibility ?? null,
    c.props.length ? `${c.props.length} prop change${c.props.length === 1 ? '' : 's'} (${c.props.map((p) => p.path).join(', ')})` : null,
  ].filter(Boolean);
  return `section ${c.to + 1} (${c.type}): ${parts.join('; ')}`;
}
