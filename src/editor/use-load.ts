import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from './api-client.ts';

export type Loaded<T> =
  | { state: 'loading'; data: T | null; error: null; reload: () => void }
  | { state: 'ready'; data: T; error: null; reload: () => void }
  | { state: 'failed'; data: T | null; error: ApiError; reload: () => void };

/**
 * Loads with `load` whenever `key` changes; the previous data stays visible while reloading.
 * An answer for an older key is dropped, so a fast switch never shows the wrong site's data.
 */
export function useLoad<T>(key: string, load: (signal: AbortSignal) => Promise<T>): Loaded<T> {
  const [result, setResult] = useState<{ key: string; data: T | null; error: ApiError | null; done: boolean }>({ key, data: null, error: null, done: false });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const controller = new AbortController();
    setResult((r) => ({ key, data: r.key === key ? r.data : null, error: null, done: false }));
    loadRef.current(controller.signal).then(
      (data) => !controller.signal.aborted && setResult({ key, data, error: null, done: true }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const failure = error instanceof ApiError ? error : new ApiError(0, { title: String(error) }, null);
        setResult((r) => ({ key, data: r.data, error: failure, done: true }));
      },
    );
    return () => controller.abort();
  }, [key, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  if (result.error) return { state: 'failed', data: result.data, error: result.error, reload };
  if (result.done && result.key === key) return { state: 'ready', data: result.data as T, error: null, reload };
  return { state: 'loading', data: result.key === key ? result.data : null, error: null, reload };
}
