/** Something that can drop its expired entries at once. */
export interface Sweepable {
  purgeStale(): unknown;
}

/**
 * Drops expired entries every `everyMs`: an expired entry is otherwise only dropped when it is read
 * or pushed out, so pages nobody asks for again (a not-found URL, an old site version) would sit in
 * memory until the budget is full. The timer never keeps the process alive; the result stops it.
 */
export function startStaleSweeper(caches: readonly Sweepable[], everyMs: number): () => void {
  const timer = setInterval(() => {
    for (const cache of caches) cache.purgeStale();
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
