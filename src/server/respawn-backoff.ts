/**
 * How long to wait before replacing a worker that died. A worker that ran for a while is replaced
 * after `baseMs`; each one that dies soon after starting doubles the wait, up to `maxMs`, so a
 * worker that cannot start (bad configuration, a dependency it needs at start-up) is not restarted
 * in a tight loop.
 */
export function createRespawnBackoff(options: { baseMs: number; maxMs: number; healthyAfterMs: number }) {
  let quickDeaths = 0;
  return {
    /** The delay before replacing a worker that lived `livedMs`. */
    next(livedMs: number): number {
      quickDeaths = livedMs >= options.healthyAfterMs ? 0 : quickDeaths + 1;
      return Math.min(options.baseMs * 2 ** quickDeaths, options.maxMs);
    },
  };
}
