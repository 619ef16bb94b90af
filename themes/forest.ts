import type { ThemeTokens } from '../src/theme/theme-schema.ts';

/** Calm greens and ochre on a soft off-white. */
export const forest: ThemeTokens = {
  colorScheme: 'light',
  colors: {
    background: '#f7faf7',
    surface: '#e9f2ea',
    text: '#14261a',
    muted: '#4a5f50',
    primary: '#2f6b3c',
    onPrimary: '#ffffff',
    accent: '#8a5a00',
    onAccent: '#ffffff',
    border: '#cfe0d2',
  },
  fonts: {
    body: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    heading: "Georgia, 'Times New Roman', serif",
  },
  radius: '0.5rem',
  space: '1rem',
  maxWidth: '72rem',
};
