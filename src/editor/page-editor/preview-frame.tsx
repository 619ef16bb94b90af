import { useEffect, useState } from 'react';
import { seg, type ApiClient } from '../api-client.ts';
import { Button } from '../ui/button.tsx';

const WIDTHS = { phone: 390, tablet: 820, desktop: 1280 } as const;
type Width = keyof typeof WIDTHS;

/**
 * The draft as visitors would see it, rendered by the site itself on its own host from a signed,
 * short-lived link (`/_mosaic/preview/<token>`): the frame is sandboxed (no forms, popups or
 * navigation of the editor) and, being another origin, never carries the admin session. `revision` changes after every save, and the frame loads the new draft.
 */
export function PreviewFrame({ api, tenant, pageId, revision }: { api: ApiClient; tenant: string; pageId: string; revision: string | null }) {
  const [url, setUrl] = useState<string | null>(null);
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
        {url && <iframe title="Preview of the draft" src={url} sandbox="allow-scripts allow-same-origin" referrerPolicy="no-referrer" style={{ width: WIDTHS[width] }} data-testid="preview" />}
      </div>
    </section>
  );
}
