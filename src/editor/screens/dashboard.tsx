import type { ScreenProps } from '../screens.ts';
import { PlaceholderScreen } from './placeholder.tsx';

export function DashboardScreen(props: ScreenProps) {
  return <PlaceholderScreen {...props} />;
}
