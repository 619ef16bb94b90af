import type { ScreenProps } from '../screens.ts';
import { PlaceholderScreen } from './placeholder.tsx';

export function PagesScreen(props: ScreenProps) {
  return <PlaceholderScreen {...props} />;
}
