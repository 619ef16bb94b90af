import { setTimeout as sleep } from 'node:timers/promises';
import { isConcurrencyConflict } from '../db/database-errors.ts';

export const MAX_OPERATION_ATTEMPTS = 3;

/**
 * Runs `attempt` again (at most `MAX_OPERATION_ATTEMPTS` times in all) while it fails with a
 * concurrency conflict, after a short random pause so the two writers do not meet again in step.
 */
export async function retryingConflicts<T>(attempt: (n: number) => Promise<T>, onRetry: (error: unknown, n: number) => void): Promise<T> {
  for (let n = 1; ; n += 1) {
    try {
      return await attempt(n);
    } catch (error) {
      if (n >= MAX_OPERATION_ATTEMPTS || !isConcurrencyConflict(error)) throw error;
      onRetry(error, n);
      await sleep(5 + Math.random() * 20 * n);
    }
  }
}
