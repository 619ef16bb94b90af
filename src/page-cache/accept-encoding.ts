/** The encodings a page is stored in, in the order the server prefers them. */
export type PageEncoding = 'br' | 'gzip' | 'identity';
export const PAGE_ENCODINGS: readonly PageEncoding[] = ['br', 'gzip', 'identity'];

// Clients send few distinct headers (one per browser build): the answer is remembered per header
// value, and the memo starts over past this many.
const MEMO_SIZE = 256;
const memo = new Map<string, PageEncoding>();

/**
 * The encoding to send for an `Accept-Encoding` value (RFC 9110 §12.5.3): the highest q-value
 * wins, ties go to br, then gzip, then identity; `*` stands for every coding not named; `q=0`
 * refuses. A client that accepts none of them (or sends no header) gets identity.
 */
export function chooseEncoding(accept: string | undefined): PageEncoding {
  if (accept === undefined || accept === '') return 'identity';
  let chosen = memo.get(accept);
  if (chosen === undefined) {
    chosen = negotiate(accept);
    if (memo.size >= MEMO_SIZE) memo.clear();
    memo.set(accept, chosen);
  }
  return chosen;
}

function negotiate(accept: string): PageEncoding {
  const named = new Map<string, number>();
  for (const part of accept.split(',')) {
    const [coding = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (coding === '') continue;
    let q = 1;
    for (const param of params) {
      const match = /^q\s*=\s*([01](?:\.\d{0,3})?)$/.exec(param);
      if (match) q = Number(match[1]);
    }
    const name = coding === 'x-gzip' ? 'gzip' : coding;
    // A coding named twice keeps its best weight.
    named.set(name, Math.max(q, named.get(name) ?? 0));
  }
  const star = named.get('*');
  // Unnamed identity stays acceptable, but below any coding the client names.
  const weight = (coding: PageEncoding): number => named.get(coding) ?? star ?? (coding === 'identity' ? Number.MIN_VALUE : 0);
  let best: PageEncoding = 'identity';
  let bestWeight = 0;
  for (const coding of PAGE_ENCODINGS) {
    const w = weight(coding);
    if (w > bestWeight) {
      best = coding;
      bestWeight = w;
    }
  }
  return best;
}
