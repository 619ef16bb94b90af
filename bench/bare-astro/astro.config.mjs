// @ts-check
// The framework baseline: the same components and layout as Mosaic, one hard-coded page, no
// tenant lookup, no cache. Built and served the same way as Mosaic (middleware mode).
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import react from '@astrojs/react';

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'middleware' }),
  integrations: [react()],
  security: { checkOrigin: false },
  devToolbar: { enabled: false },
});
