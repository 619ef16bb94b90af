import { useEffect, useRef, useState } from 'react';
import { seg, type ApiClient } from '../api-client.ts';
import { Button } from '../ui/button.tsx';

const WIDTHS = { phone: 390, tablet: 820, desktop: 1280 } as const;
type Width = keyof typeof WIDTHS;

/**
 * The draft as visitors would see it, rendered by the site itself on its own host from a signed,
 * short-lived link (`/_mosaic/preview/<token>`): the frame is sandboxed (no forms, popups or
 * navigation of the editor) and, being another origin, never carries the admin session. `revision` changes after every save, and the frame loads the new draft.
 * The preview's own small script reports clicks on a section (`mosaic:select`), obeyed only from
 * this frame at the preview's origin, and outlines the section the editor has selected.
 */
export function PreviewFrame({ api, tenant, pageId, revision, selected, onSelect }: { api: ApiClient; tenant: string; pageId: string; revision: string | null; selected: number | null; onSelect: (index: number) => void }) {
  const [url, setUrl] = useState<string | null>(null);
  const frame = useRef<HTMLIFrameElement>(null);
  const origin = url ? new URL(url, window.location.href).origin : null;
  // Until the first preview has loaded, the frame holds about:blank (another origin): posting then would only log errors.
  const loaded = useRef(false);
  const highlight = () => {
    if (loaded.current && origin && frame.current?.contentWindow) frame.current.contentWindow.postMessage({ type: 'mosaic:highlight', index: selected }, origin);
  };
  useEffect(highlight, [selected, origin]);
  const select = useRef(onSelect);
  select.current = onSelect;
  useEffect(() => {
    const listen = (event: MessageEvent) => {
      if (event.origin !== origin || event.source !== frame.current?.contentWindow) return;
      const data = event.data as { type?: unknown; index?: unknown } | null;
      if (data?.type === 'mosaic:select' && Number.isInteger(data.index)) select.current(data.index as number);
    };
    window.addEventListener('message', listen);
    return () => window.removeEventListener('message', listen);
  }, [origin]);
  const [width, setWidth] = useState<Width>('desktop');
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const controller = new AbortController();
    api
      .get<{ url: string }>(`/tenants/${seg(tenant)}/pages/${seg(pageId)}/preview`, { signal: controller.signal })
      .then((link) => {
        setUrl(link.data.url);
        setFailed(false);
      })
      .catch(() => !controller.signal.aborted && setFailed(true));
    return () => controller.abort();
  }, [api, tenant, pageId, revision]);
  return (
    <section className="preview" aria-label="Preview">
      <div className="btn-row preview-bar" role="group" aria-label="Preview width">
        {(Object.keys(WIDTHS) as Width[]).map((w) => (
          <Button key={w} className="btn-small" aria-pressed={width === w} onClick={() => setWidth(w)}>
            {w[0]!.toUpperCase() + w.slice(1)}
          </Button>
        ))}
        {url && (
          <a className="muted" href={url} target="_blank" rel="noopener noreferrer">
            Open in a new tab
          </a>
        )}
      </div>
      {failed && <p className="notice notice-error">The preview could not be loaded.</p>}
      <div className="preview-stage">
        {url && <iframe ref={frame} onLoad={() => { loaded.current = true; highlight(); }} title="Preview of the draft" src={url} sandbox="allow-scripts allow-same-origin" referrerPolicy="no-referrer" style={{ width: WIDTHS[width] }} data-testid="preview" />}
      </div>
    </section>
  );
}
