import { isMosaicError } from '../errors/catalog.ts';

/**
 * What `mosaic` exits with: 0 done; 1 failed (a service down, an unexpected error); 2 called the
 * wrong way (unknown command or flag, a bad value, bad configuration) — nothing changed; 3 refused
 * or not found (no such user, tenant or key; not allowed; already exists) — nothing changed.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, refused: 3 } as const;

export function exitCodeFor(error: unknown): number {
  if (!isMosaicError(error)) return EXIT.failed;
  if (error.code === 'InvalidInput') return EXIT.usage;
  return error.status !== null && error.status >= 400 && error.status < 500 ? EXIT.refused : EXIT.failed;
}
