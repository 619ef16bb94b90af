import { useState } from 'react';
import { seg, type ApiClient } from '../api-client.ts';
import type { Paged } from '../api-types.ts';
import { useLoad } from '../use-load.ts';
import { useSubmit } from '../use-submit.ts';
import { Button } from '../ui/button.tsx';
import { ErrorNotice, Loading, useAnnounce } from '../ui/feedback.tsx';
import { SelectField } from '../ui/fields.tsx';
import { formatTime } from '../ui/page-state.tsx';

interface VersionSummary {
  version: number;
  createdAt: string;
  createdBy: string;
  published: boolean;
}

interface PageDiff {
  unchanged: boolean;
  summary: string[];
}

/** Published versions with author and time; a readable diff between any two; one-click rollback. */
export function HistoryPanel({ api, tenant, pageId, generation, readOnly, onChanged }: { api: ApiClient; tenant: string; pageId: string; generation: number; readOnly: boolean; onChanged: () => void }) {
  const announce = useAnnounce();
  const base = `/tenants/${seg(tenant)}/pages/${seg(pageId)}`;
  const versions = useLoad(`versions:${pageId}:${generation}`, async (signal) => (await api.get<Paged<VersionSummary>>(`${base}/versions`, { query: { limit: 50 }, signal })).data);
  const [from, setFrom] = useState('published');
  const [to, setTo] = useState('draft');
  const [diff, setDiff] = useState<PageDiff | null>(null);
  const compare = useSubmit(async () => setDiff((await api.get<PageDiff>(`${base}/diff`, { query: { from, to } })).data));
  const [target, setTarget] = useState(0);
  const rollback = useSubmit(async (version: number) => {
    setTarget(version);
    await api.post(`${base}/rollback`, { body: { version } });
    announce(`Version ${version} is live again.`);
    onChanged();
  });
  if (versions.state === 'loading' && !versions.data) return <Loading />;
  if (versions.state === 'failed') return <ErrorNotice error={versions.error} retry={versions.reload} />;
  const items = versions.data?.items ?? [];
  const sides = [{ value: 'draft', label: 'The draft' }, { value: 'published', label: 'What visitors see' }, ...items.map((v) => ({ value: String(v.version), label: `Version ${v.version}` }))];
  return (
    <div className="history">
      {items.length === 0 ? (
        <p className="muted">Nothing has been published yet.</p>
      ) : (
        <ol className="list-plain" aria-label="Published versions">
          {items.map((v) => (
            <li key={v.version} className="history-item">
              <span>
                <strong>Version {v.version}</strong> {v.published && <span className="badge badge-published">Live</span>}
                <span className="muted">
                  {' '}
                  {v.createdBy} · {formatTime(v.createdAt)}
                </span>
              </span>
              {!readOnly && !v.published && (
                <Button className="btn-small" busy={rollback.busy && target === v.version} onClick={() => void rollback.run(v.version)} aria-label={`Roll back to version ${v.version}`}>
                  Roll back
                </Button>
              )}
            </li>
          ))}
        </ol>
      )}
      <form className="diff-form" onSubmit={compare.onSubmit} aria-label="Compare versions">
        <SelectField label="Compare" value={from} onChange={setFrom} options={sides} />
        <SelectField label="with" value={to} onChange={setTo} options={sides} />
        <Button type="submit" busy={compare.busy}>
          Show differences
        </Button>
      </form>
      {rollback.error && <ErrorNotice error={rollback.error} />}
      {compare.error && <ErrorNotice error={compare.error} />}
      {diff && (
        <div className="diff" aria-live="polite">
          {diff.unchanged ? <p>No differences.</p> : <ul>{diff.summary.map((line, i) => <li key={i}>{line}</li>)}</ul>}
        </div>
      )}
    </div>
  );
}
