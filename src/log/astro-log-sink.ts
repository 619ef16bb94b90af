import type { Logger } from './logger.ts';

/** Shared with `astro-log-destination.mjs`, which Astro loads from its own bundle. */
const SINK = Symbol.for('mosaic.astro-log-sink');

export type AstroLogSink = (level: string, label: string | null, message: string) => void;

/**
 * Sends Astro's own log messages (render errors, adapter warnings) through the process's pino
 * logger, one structured line each, instead of Astro's multi-line console output.
 */
export function routeAstroLogs(logger: Logger): void {
  const astro = logger.child({ source: 'astro' });
  const sink: AstroLogSink = (level, label, message) => {
    const fields = label ? { label } : {};
    if (level === 'error') astro.error(fields, message);
    else if (level === 'warn') astro.warn(fields, message);
    else if (level === 'debug') astro.debug(fields, message);
    else astro.info(fields, message);
  };
  (globalThis as Record<symbol, unknown>)[SINK] = sink;
}
