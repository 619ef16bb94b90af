import { useState, type FormEvent } from 'react';
import { ApiError } from './api-client.ts';

/**
 * A form's submit: busy while `action` runs, its failure kept as an `ApiError` (field messages
 * by path). Returns the handler for `onSubmit`.
 */
export function useSubmit<A = void>(action: (arg: A) => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  async function run(arg: A): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      await action(arg);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : new ApiError(0, { title: String(failure) }, null));
    } finally {
      setBusy(false);
    }
  }
  return {
    busy,
    error,
    run,
    onSubmit(event: FormEvent) {
      event.preventDefault();
      void run(undefined as A);
    },
  };
}
