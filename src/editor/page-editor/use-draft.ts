import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, seg, type ApiClient } from '../api-client.ts';
import type { Draft } from '../api-types.ts';

export type SaveState = 'saved' | 'unsaved' | 'saving' | 'conflict' | 'failed';

export interface Conflict {
  /** The draft someone else saved, and its ETag. */
  theirs: Draft;
  etag: string;
  by: string | null;
}

// Keystrokes within this long of each other are one step of undo, and one save.
const SAVE_DELAY_MS = 400;
const COALESCE_MS = 1000;
const HISTORY_LIMIT = 100;

/**
 * A page's draft in the editor: every change is kept for undo/redo and saved shortly after with
 * `If-Match`, so a write over someone else's newer draft is refused (412) and both versions are
 * kept until the editor chooses. `onSaved` is told each saved ETag (the preview follows it).
 */
export function useDraft(api: ApiClient, tenant: string, pageId: string, initial: { draft: Draft; etag: string | null }, onSaved: (etag: string | null) => void) {
  const [draft, setDraft] = useState(initial.draft);
  const [state, setState] = useState<SaveState>('saved');
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const etag = useRef(initial.etag);
  const latest = useRef(initial.draft);
  const past = useRef<Draft[]>([]);
  const future = useRef<Draft[]>([]);
  const lastChange = useRef<{ at: number; key: string }>({ at: 0, key: '' });
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const inFlight = useRef<Promise<void> | null>(null);
  const dirty = useRef(false);
  // A refused save waits for the next change (or a retry) instead of trying again at once.
  const refused = useRef(false);
  const [, setTick] = useState(0);
  const onSavedRef = useRef(onSaved);
  onSavedRef.current = onSaved;
  const path = `/tenants/${seg(tenant)}/pages/${seg(pageId)}/draft`;

  const save = useCallback(async (): Promise<void> => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (inFlight.current) {
      await inFlight.current;
      if (dirty.current) return save();
      return;
    }
    if (!dirty.current) return;
    dirty.current = false;
    const sending = latest.current;
    setState('saving');
    inFlight.current = (async () => {
      try {
        const saved = await api.put<{ revision: number }>(path, { body: { draft: sending }, ifMatch: etag.current });
        etag.current = saved.etag;
        setError(null);
        setState(dirty.current ? 'unsaved' : 'saved');
        onSavedRef.current(saved.etag);
      } catch (failure) {
        const problem = failure instanceof ApiError ? failure : new ApiError(0, { title: String(failure) }, null);
        if (problem.status === 412) {
          const current = problem.problem.current as { draft: Draft; updatedBy?: string | null } | undefined;
          const tag = problem.etag ?? (typeof problem.problem.etag === 'string' ? problem.problem.etag : null);
          if (current && tag) setConflict({ theirs: current.draft, etag: tag, by: current.updatedBy ?? null });
          setState('conflict');
        } else {
          dirty.current = true;
          refused.current = true;
          setError(problem);
          setState('failed');
        }
      } finally {
        inFlight.current = null;
      }
    })();
    await inFlight.current;
    if (dirty.current && !conflictRef.current && !refused.current) await save();
  }, [api, path]);
  const conflictRef = useRef<Conflict | null>(null);
  conflictRef.current = conflict;

  const schedule = useCallback(() => {
    dirty.current = true;
    refused.current = false;
    setState((s) => (s === 'conflict' ? s : 'unsaved'));
    if (conflictRef.current) return;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void save(), SAVE_DELAY_MS);
  }, [save]);

  const apply = useCallback((next: Draft) => {
    latest.current = next;
    setDraft(next);
    schedule();
  }, [schedule]);

  /** A change; `key` names what was edited, so typing in one field is one undo step. */
  const change = useCallback((next: Draft, key = '') => {
    const now = Date.now();
    const coalesce = key !== '' && key === lastChange.current.key && now - lastChange.current.at < COALESCE_MS;
    if (!coalesce) past.current = [...past.current.slice(-HISTORY_LIMIT + 1), latest.current];
    future.current = [];
    lastChange.current = { at: now, key };
    apply(next);
  }, [apply]);

  const undo = useCallback(() => {
    const previous = past.current.pop();
    if (!previous) return;
    future.current.push(latest.current);
    lastChange.current = { at: 0, key: '' };
    apply(previous);
    setTick((t) => t + 1);
  }, [apply]);

  const redo = useCallback(() => {
    const next = future.current.pop();
    if (!next) return;
    past.current.push(latest.current);
    lastChange.current = { at: 0, key: '' };
    apply(next);
    setTick((t) => t + 1);
  }, [apply]);

  /** Ends a conflict: keep mine (written over theirs, theirs stays in the undo history) or take theirs. */
  const resolve = useCallback((choice: 'mine' | 'theirs') => {
    const open = conflictRef.current;
    if (!open) return;
    etag.current = open.etag;
    conflictRef.current = null;
    setConflict(null);
    if (choice === 'theirs') {
      past.current.push(latest.current);
      latest.current = open.theirs;
      setDraft(open.theirs);
      dirty.current = false;
      setState('saved');
      onSavedRef.current(open.etag);
    } else {
      past.current.push(open.theirs);
      dirty.current = true;
      void save();
    }
  }, [save]);

  // Leaving with unsaved changes: save them first where the browser allows, and ask.
  useEffect(() => {
    const beforeUnload = (event: BeforeUnloadEvent) => {
      if (!dirty.current && !inFlight.current) return;
      void save();
      event.preventDefault();
    };
    window.addEventListener('beforeunload', beforeUnload);
    return () => window.removeEventListener('beforeunload', beforeUnload);
  }, [save]);

  return {
    draft,
    state,
    error,
    conflict,
    etag: () => etag.current,
    change,
    undo,
    redo,
    canUndo: past.current.length > 0,
    canRedo: future.current.length > 0,
    /** Saves now (before publishing, or to retry); resolves once nothing is left unsaved. */
    flush: () => {
      refused.current = false;
      return save();
    },
    resolve,
  };
}
