import type { ScreenProps } from '../screens.ts';
import { PlaceholderScreen } from './placeholder.tsx';

export function PageEditorScreen(props: ScreenProps) {
  return <PlaceholderScreen {...props} />;
}
