// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import react from '@astrojs/react';

// Middleware mode: src/server/main.ts owns the HTTP server, builds the app context once
// and hands it to Astro's handler through `locals`.
export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'middleware' }),
  integrations: [react()],
  // Host handling is Mosaic's job (src/host); Astro never builds URLs from request headers.
  security: { checkOrigin: false },
  server: { host: '127.0.0.1', port: 4321 },
  devToolbar: { enabled: false },
});
