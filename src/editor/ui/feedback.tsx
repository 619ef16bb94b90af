import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import type { ApiError } from '../api-client.ts';
import { Button } from './button.tsx';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children}
    </div>
  );
}

/** An error that is not about one field: what went wrong, and a retry when one makes sense. */
export function ErrorNotice({ error, retry }: { error: ApiError | string; retry?: () => void }) {
  const message = typeof error === 'string' ? error : error.status === 404 ? 'Not found, or not yours to see.' : error.message;
  return (
    <div className="notice notice-error" role="alert">
      <p>{message}</p>
      {typeof error !== 'string' && error.errors.length > 0 && (
        <ul>
          {error.errors.map((e) => (
            <li key={e.path + e.message}>
              <code>{e.path}</code>: {e.message}
            </li>
          ))}
        </ul>
      )}
      {retry && <Button onClick={retry}>Try again</Button>}
    </div>
  );
}

const AnnounceContext = createContext<(message: string) => void>(() => undefined);

/** One polite live region for the whole app: saves, moves and publishes are announced here. */
export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState('');
  const announce = useCallback((text: string) => {
    // Cleared first so the same message twice is read twice.
    setMessage('');
    requestAnimationFrame(() => setMessage(text));
  }, []);
  return (
    <AnnounceContext.Provider value={announce}>
      {children}
      <div className="visually-hidden" role="status" aria-live="polite" data-testid="announcer">
        {message}
      </div>
    </AnnounceContext.Provider>
  );
}

export const useAnnounce = (): ((message: string) => void) => useContext(AnnounceContext);
