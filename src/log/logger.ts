import pino, { type Logger } from 'pino';

export type { Logger };

/** To stdout; `to: 'stderr'` for command-line tools, whose stdout is their answer (`--json`). */
export function createLogger(level: string, instanceId: string, to: 'stdout' | 'stderr' = 'stdout'): Logger {
  const options = { level, base: { instance: instanceId }, redact: ['req.headers.cookie', 'req.headers.authorization'] };
  return to === 'stderr' ? pino(options, pino.destination(2)) : pino(options);
}
