import { sql, type RawBuilder } from 'kysely';
import { z } from 'zod';
import { MosaicError } from '../errors/catalog.ts';

/** `?limit=&cursor=` of every list: at most 100 items a page, 25 unless asked. */
export const pageRequestShape = {
  limit: z.coerce.number().int().min(1).max(100).default(25),
  /** Opaque: the `nextCursor` of the previous page. */
  cursor: z.string().min(1).max(500).optional(),
};

export interface Page<T> {
  items: T[];
  /** Null on the last page. */
  nextCursor: string | null;
}

/** Cursors are the sort key of the last item, encoded so callers treat them as opaque. */
export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** The values of a cursor made by `encodeCursor` with `arity` values; a tampered one is `InvalidInput`. */
export function decodeCursor(cursor: string, arity: number): string[] {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    values = null;
  }
  if (!Array.isArray(values) || values.length !== arity || !values.every((v) => typeof v === 'string' && v.length <= 600)) {
    throw new MosaicError('InvalidInput', undefined, [{ path: 'cursor', message: 'is not a cursor this list gave out' }]);
  }
  return values as string[];
}

/** Reads `limit + 1` rows to know whether another page follows; `key` gives an item's cursor values. */
export function toPage<R, T>(rows: readonly R[], limit: number, key: (row: R) => (string | number)[], map: (row: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(map), nextCursor: rows.length > limit && last !== undefined ? encodeCursor(key(last)) : null };
}

/**
 * A timestamp column as text with every microsecond, for cursors: a JavaScript Date keeps
 * milliseconds only, and rows written in the same millisecond would be skipped or repeated.
 */
export function exactTime(column: string): RawBuilder<string> {
  return sql<string>`to_char(${sql.ref(column)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** A cursor's timestamp, checked before it reaches SQL. */
export function cursorTime(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(value)) {
    throw new MosaicError('InvalidInput', undefined, [{ path: 'cursor', message: 'is not a cursor this list gave out' }]);
  }
  return value;
}

/** A cursor's id, checked before it reaches SQL. */
export function cursorId(value: string): string {
  if (!z.uuid().safeParse(value).success) throw new MosaicError('InvalidInput', undefined, [{ path: 'cursor', message: 'is not a cursor this list gave out' }]);
  return value;
}

/** `%` and `_` in a search typed by a person match themselves. */
export const likePattern = (search: string): string => `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
