export type DependencyState = 'ok' | 'unavailable' | 'off';

/**
 * What `/readyz` reports. Without the database nothing new can be served: not ready (503). Without
 * Redis pages still work from memory and Postgres: degraded, still ready (200).
 */
export interface ReadinessReport {
  status: 'ready' | 'degraded' | 'not ready';
  database: Exclude<DependencyState, 'off'>;
  redis: DependencyState;
}

export async function checkReadiness(checks: {
  database: () => Promise<unknown>;
  /** Null when Redis is not configured. */
  redis: (() => Promise<unknown>) | null;
}): Promise<ReadinessReport> {
  const probe = (check: () => Promise<unknown>) =>
    check().then(
      () => 'ok' as const,
      () => 'unavailable' as const,
    );
  const [database, redis] = await Promise.all([probe(checks.database), checks.redis ? probe(checks.redis) : ('off' as const)]);
  const status = database !== 'ok' ? 'not ready' : redis === 'unavailable' ? 'degraded' : 'ready';
  return { status, database, redis };
}

/** HTTP status and plain-text body of `/readyz`: `ready`, or the state and what is wrong. */
export function readinessAnswer(report: ReadinessReport): { status: 200 | 503; body: string } {
  if (report.status === 'ready') return { status: 200, body: 'ready' };
  const problems = [report.database === 'unavailable' ? 'database unavailable' : null, report.redis === 'unavailable' ? 'redis unavailable' : null];
  return { status: report.status === 'not ready' ? 503 : 200, body: `${report.status}: ${problems.filter(Boolean).join(', ')}` };
}
