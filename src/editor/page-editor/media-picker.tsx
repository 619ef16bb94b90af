import { createContext, useContext, useEffect, useId, useRef, useState } from 'react';
import { seg } from '../api-client.ts';
import type { MediaView, Paged } from '../api-types.ts';
import { useApi } from '../session.tsx';
import { useLoad } from '../use-load.ts';
import { Button } from '../ui/button.tsx';
import { EmptyState, ErrorNotice, Loading } from '../ui/feedback.tsx';

/** The site whose media library image fields pick from; absent, fields offer no picker. */
export const MediaSite = createContext<string | null>(null);

/** The address an image field stores for a library image: its widest served size, on the site's own host. */
export const mediaAddress = (item: MediaView): string => item.sources.at(-1)?.webp ?? '';

/**
 * "Choose from media": a modal list of the site's images (`GET …/media`); picking one hands it to
 * `onPick` (which fills the address, and the alt text if the field has none). Typing an address
 * by hand keeps working beside it.
 */
export function MediaPickerButton({ label, onPick }: { label: string; onPick: (item: MediaView) => void }) {
  const tenant = useContext(MediaSite);
  const [open, setOpen] = useState(false);
  if (!tenant) return null;
  return (
    <>
      <Button className="btn-small" onClick={() => setOpen(true)} aria-haspopup="dialog">
        Choose from media
      </Button>
      {open && (
        <MediaPicker
          tenant={tenant}
          label={label}
          onClose={() => setOpen(false)}
          onPick={(item) => {
            setOpen(false);
            onPick(item);
          }}
        />
      )}
    </>
  );
}

function MediaPicker({ tenant, label, onPick, onClose }: { tenant: string; label: string; onPick: (item: MediaView) => void; onClose: () => void }) {
  const api = useApi();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const library = useLoad(`media-picker:${tenant}`, (signal) => api.get<Paged<MediaView>>(`/tenants/${seg(tenant)}/media`, { query: { limit: 100 }, signal }).then((r) => r.data));
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const base = `/api/v1/tenants/${seg(tenant)}/media`;
  return (
    <dialog ref={ref} className="dialog media-picker" aria-labelledby={titleId} onCancel={(e) => { e.preventDefault(); onClose(); }} data-testid="media-picker">
      <h2 id={titleId}>Choose an image for {label.toLowerCase()}</h2>
      {library.state === 'failed' && <ErrorNotice error={library.error} retry={library.reload} />}
      {library.data === null ? (
        library.state === 'loading' && <Loading label="Loading images…" />
      ) : library.data.items.length === 0 ? (
        <EmptyState title="No images yet.">
          <p>Upload images on the Media screen, then choose one here.</p>
        </EmptyState>
      ) : (
        <ul className="media-picker-grid">
          {library.data.items.map((item) => (
            <li key={item.id}>
              <button type="button" className="media-choice" onClick={() => onPick(item)} aria-label={`Choose ${item.filename || 'image'}: ${item.alt}`}>
                <img src={`${base}/${seg(item.id)}/thumbnail`} alt="" width={120} height={Math.max(1, Math.round((120 * item.height) / item.width))} loading="lazy" />
                <span className="media-choice-alt">{item.alt}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="dialog-actions">
        <Button onClick={onClose}>Cancel</Button>
      </div>
    </dialog>
  );
}
