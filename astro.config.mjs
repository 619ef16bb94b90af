// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import react from '@astrojs/react';

// Middleware mode: src/server/main.ts owns the HTTP server, builds the app context once
// and hands it to Astro's handler through `locals`.
export default defineConfig({
  output: 'server',
  // Astro only ever renders GET/HEAD pages; the front reads form bodies itself. Anything that
  // reaches Astro with a body is cut off at the size of the largest form (16 KiB).
  adapter: node({ mode: 'middleware', bodySizeLimit: 16 * 1024 }),
  integrations: [react()],
  security: {
    // Host handling is Mosaic's job (src/host); Astro never builds URLs from request headers.
    checkOrigin: false,
    // Astro hashes the inline scripts and styles it renders (island hydration) into each page's
    // policy; src/render/security-headers.ts adds the other directives.
    csp: true,
  },
  logger: { entrypoint: './src/log/astro-log-destination.mjs' },
  server: { host: '127.0.0.1', port: 4321 },
  devToolbar: { enabled: false },
});
