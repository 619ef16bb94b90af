/** What the soak's load generator sent, by kind of request, and how it was answered. */
export type SoakTally = Record<string, { sent: number; statuses: Record<string, number>; connectionErrors: number }>;

/** Requests with a method no route knows: 501 is their designed answer, not an error. */
export const UNKNOWN_METHOD = 'unknown-method';

/** 5xx answers (but 501 to an unknown method) and connection errors: what the soak counts as errors. */
export function errorsOf(tally: SoakTally): { total: number; byKind: Record<string, { status5xx: number; connection: number }> } {
  const byKind: Record<string, { status5xx: number; connection: number }> = {};
  let total = 0;
  for (const [kind, row] of Object.entries(tally)) {
    const designed = (status: number) => kind === UNKNOWN_METHOD && status === 501;
    const status5xx = Object.entries(row.statuses).reduce((sum, [status, n]) => sum + (Number(status) >= 500 && !designed(Number(status)) ? n : 0), 0);
    byKind[kind] = { status5xx, connection: row.connectionErrors };
    total += status5xx + row.connectionErrors;
  }
  return { total, byKind };
}

/** The errors in one line, e.g. `cold 503×2, hostile conn×1`. */
export function describeErrors(tally: SoakTally): string {
  const parts: string[] = [];
  for (const [kind, row] of Object.entries(tally)) {
    const bad = Object.entries(row.statuses).filter(([status]) => Number(status) >= 500 && !(kind === UNKNOWN_METHOD && status === '501'));
    const items = [...bad.map(([status, n]) => `${status}×${n}`), ...(row.connectionErrors ? [`conn×${row.connectionErrors}`] : [])];
    if (items.length) parts.push(`${kind} ${items.join(' ')}`);
  }
  return parts.join(', ');
}
