import type { ThemeTokens } from '../src/theme/theme-schema.ts';

/** Warm and welcoming: cream paper, terracotta and teal, serif headings. */
export const sunrise: ThemeTokens = {
  colorScheme: 'light',
  colors: {
    background: '#fffaf3',
    surface: '#fdf0e1',
    text: '#2b1d14',
    muted: '#6b4f3a',
    primary: '#a8431a',
    onPrimary: '#ffffff',
    accent: '#0f766e',
    onAccent: '#ffffff',
    border: '#ead7c3',
  },
  fonts: {
    body: "'Source Sans 3', 'Segoe UI', system-ui, -apple-system, sans-serif",
    heading: "Georgia, 'Iowan Old Style', 'Palatino Linotype', 'Times New Roman', serif",
  },
  radius: '1rem',
  space: '1rem',
  maxWidth: '70rem',
};
