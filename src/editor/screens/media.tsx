import { useRef, useState } from 'react';
import { seg } from '../api-client.ts';
import type { MediaView, Paged } from '../api-types.ts';
import type { ScreenProps } from '../screens.ts';
import { useApi } from '../session.tsx';
import { useSiteRole } from '../site-role.ts';
import { useLoad } from '../use-load.ts';
import { useSubmit } from '../use-submit.ts';
import { Button } from '../ui/button.tsx';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { EmptyState, ErrorNotice, Loading, useAnnounce } from '../ui/feedback.tsx';
import { TextField } from '../ui/fields.tsx';

type Library = Paged<MediaView> & { usedBytes: number };

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 1)} MB`;

/** The site's images: upload with alt text, change alt text, delete. */
export function MediaScreen({ params }: ScreenProps) {
  const tenant = params.tenant!;
  const api = useApi();
  const canChange = useSiteRole(tenant).atLeast('editor');
  const library = useLoad(`media:${tenant}`, (signal) => api.get<Library>(`/tenants/${seg(tenant)}/media`, { query: { limit: 100 }, signal }).then((r) => r.data));

  return (
    <>
      <h1>Media</h1>
      {canChange && <UploadForm tenant={tenant} onUploaded={library.reload} />}
      {library.state === 'failed' && <ErrorNotice error={library.error} retry={library.reload} />}
      {library.data === null ? (
        library.state === 'loading' && <Loading label="Loading images…" />
      ) : library.data.items.length === 0 ? (
        <EmptyState title="No images yet.">{canChange && <p>Upload one above; every image needs a description for people who cannot see it.</p>}</EmptyState>
      ) : (
        <>
          <p className="muted">
            {library.data.items.length} images · {megabytes(library.data.usedBytes)} used
          </p>
          <ul className="media-grid">
            {library.data.items.map((item) => (
              <MediaCard key={item.id} tenant={tenant} item={item} canChange={canChange} onChanged={library.reload} />
            ))}
          </ul>
        </>
      )}
    </>
  );
}

function UploadForm({ tenant, onUploaded }: { tenant: string; onUploaded: () => void }) {
  const api = useApi();
  const announce = useAnnounce();
  const [file, setFile] = useState<File | null>(null);
  const [alt, setAlt] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const submit = useSubmit(async () => {
    const data = file ? await base64Of(file) : '';
    await api.post(`/tenants/${seg(tenant)}/media`, { body: { data, alt, filename: file?.name ?? '' } });
    setFile(null);
    setAlt('');
    if (input.current) input.current.value = '';
    announce('Image uploaded.');
    onUploaded();
  });
  const fileError = submit.error?.at('data');
  return (
    <form className="panel upload" onSubmit={submit.onSubmit} aria-labelledby="upload-title">
      <h2 id="upload-title">Upload an image</h2>
      <div className={fileError ? 'field field-invalid' : 'field'}>
        <label htmlFor="upload-file">Image file</label>
        <input
          id="upload-file"
          ref={input}
          type="file"
          accept="image/png,image/jpeg,image/webp,image/gif,image/avif"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          aria-describedby="upload-file-hint"
          aria-invalid={fileError ? true : undefined}
        />
        <p id="upload-file-hint" className="field-hint">
          PNG, JPEG, WebP, GIF or AVIF, up to 5 MB.
        </p>
        {fileError && (
          <p className="field-error" role="alert">
            {fileError}
          </p>
        )}
      </div>
      <TextField label="Description (alt text)" value={alt} onChange={setAlt} error={submit.error?.at('alt')} hint="What the image shows, for people who cannot see it." required />
      {submit.error && !submit.error.at('data') && !submit.error.at('alt') && <ErrorNotice error={submit.error} />}
      <Button kind="primary" type="submit" busy={submit.busy} disabled={!file}>
        Upload
      </Button>
    </form>
  );
}

function MediaCard({ tenant, item, canChange, onChanged }: { tenant: string; item: MediaView; canChange: boolean; onChanged: () => void }) {
  const api = useApi();
  const announce = useAnnounce();
  const [alt, setAlt] = useState(item.alt);
  const [confirming, setConfirming] = useState(false);
  const path = `/tenants/${seg(tenant)}/media/${seg(item.id)}`;
  const save = useSubmit(async () => {
    await api.patch(path, { body: { alt } });
    announce('Description saved.');
    onChanged();
  });
  const remove = useSubmit(async () => {
    await api.delete(path);
    setConfirming(false);
    announce('Image deleted.');
    onChanged();
  });
  return (
    <li className="media-card" data-media-id={item.id}>
      <img src={`/api/v1${path}/thumbnail`} alt={item.alt} width={160} height={Math.round((160 * item.height) / item.width)} loading="lazy" />
      <p className="muted">
        {item.filename || 'untitled'} · {item.width}×{item.height} · {megabytes(item.byteSize)}
      </p>
      {canChange ? (
        <form onSubmit={save.onSubmit}>
          <TextField label="Description" value={alt} onChange={setAlt} error={save.error?.at('alt')} required />
          <div className="btn-row">
            <Button type="submit" className="btn-small" busy={save.busy} disabled={alt === item.alt}>
              Save
            </Button>
            <Button kind="ghost" className="btn-small" onClick={() => setConfirming(true)}>
              Delete
            </Button>
          </div>
        </form>
      ) : (
        <p>{item.alt}</p>
      )}
      {remove.error && <ErrorNotice error={remove.error} />}
      <ConfirmDialog open={confirming} title="Delete this image?" confirmLabel="Delete image" danger busy={remove.busy} onConfirm={() => void remove.run()} onCancel={() => setConfirming(false)}>
        <p>Pages that show it will show nothing in its place. This cannot be undone.</p>
      </ConfirmDialog>
    </li>
  );
}

function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.readAsDataURL(file);
  });
}
