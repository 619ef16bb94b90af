import type { PageSummary } from '../api-types.ts';

/** What a page's state means to an editor, in one word or two, with its badge style. */
export function pageStates(page: PageSummary): { label: string; tone: 'published' | 'draft' | 'scheduled' | 'plain' }[] {
  const states: ReturnType<typeof pageStates> = [];
  if (page.status === 'published') states.push({ label: 'Published', tone: 'published' });
  if (page.status === 'draft') states.push({ label: 'Draft', tone: 'draft' });
  if (page.status === 'unpublished') states.push({ label: 'Unpublished', tone: 'plain' });
  if (page.status === 'deleted') states.push({ label: 'Deleted', tone: 'plain' });
  if (page.draftPending) states.push({ label: 'Changes not published', tone: 'draft' });
  if (page.nextScheduledAt) states.push({ label: `Scheduled ${formatTime(page.nextScheduledAt)}`, tone: 'scheduled' });
  return states;
}

export function PageStateBadges({ page }: { page: PageSummary }) {
  return (
    <span className="btn-row">
      {pageStates(page).map((s) => (
        <span key={s.label} className={`badge badge-${s.tone}`}>
          {s.label}
        </span>
      ))}
    </span>
  );
}

const FORMAT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A time as people read it, in their own zone. */
export const formatTime = (iso: string): string => FORMAT.format(new Date(iso));
