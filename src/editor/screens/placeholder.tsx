import type { ScreenProps } from '../screens.ts';
import { screenFor } from '../screens.ts';
import { EmptyState } from '../ui/feedback.tsx';

/** A screen that is planned but not built yet: says so instead of failing. */
export function PlaceholderScreen(_props: ScreenProps) {
  const found = screenFor(location.pathname);
  return (
    <>
      <h1>{found?.screen.title ?? 'Coming soon'}</h1>
      <EmptyState title="This screen is not available yet." />
    </>
  );
}
