import CircuitBreaker from 'opossum';

export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * Skips Redis while it is failing, so requests stop paying a command timeout each. Closed: every
 * command goes through. Open: every command fails at once. After `retryAfterMs` one command is let
 * through (half-open); its success closes the breaker, its failure opens it again.
 */
export interface RedisBreaker {
  run<T>(command: () => Promise<T>): Promise<T>;
  /** False while commands are being skipped. */
  readonly available: boolean;
  readonly state: BreakerState;
  /** The connection is gone: skip Redis now rather than wait for commands to fail. */
  trip(): void;
  /** The connection is ready again: use Redis now rather than wait for a probe. */
  reset(): void;
  onStateChange(listener: (state: BreakerState) => void): void;
  shutdown(): void;
}

/** Errors that say the breaker itself refused the command (Redis was not asked). */
export const isBreakerRefusal = (error: unknown): boolean => error instanceof Error && (error as { code?: unknown }).code === 'EOPENBREAKER';

export function createRedisBreaker(options: { retryAfterMs: number; name: string }): RedisBreaker {
  const breaker = new CircuitBreaker((command: () => Promise<unknown>) => command(), {
    name: options.name,
    // Commands carry their own timeout (ioredis `commandTimeout`); the breaker only counts outcomes.
    timeout: false,
    resetTimeout: options.retryAfterMs,
    errorThresholdPercentage: 50,
    volumeThreshold: 3,
    rollingCountTimeout: 5000,
    rollingCountBuckets: 5,
    // Redis answered (WRONGTYPE, a script error): a bug to report, not an outage.
    errorFilter: (error: Error) => error.name === 'ReplyError',
  });
  const stateOf = (): BreakerState => (breaker.closed ? 'closed' : breaker.halfOpen ? 'half-open' : 'open');
  return {
    run: <T>(command: () => Promise<T>) => breaker.fire(command) as Promise<T>,
    get available() {
      return !breaker.opened;
    },
    get state() {
      return stateOf();
    },
    trip: () => breaker.open(),
    reset: () => breaker.close(),
    onStateChange(listener) {
      breaker.on('open', () => listener('open'));
      breaker.on('halfOpen', () => listener('half-open'));
      breaker.on('close', () => listener('closed'));
    },
    shutdown: () => breaker.shutdown(),
  };
}
