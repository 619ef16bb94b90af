// @ts-check
import { randomUUID } from 'node:crypto';
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import react from '@astrojs/react';

// Middleware mode: src/server/main.ts owns the HTTP server, builds the app context once
// and hands it to Astro's handler through `locals`.
export default defineConfig({
  output: 'server',
  // Astro only ever renders GET/HEAD pages; the front reads form bodies itself. Anything that
  // reaches Astro with a body is cut off at the size of the largest form (16 KiB).
  // Pages are not streamed: the page cache needs the whole page before anything is sent anyway,
  // and a streamed page arrives as many small buffers that outlive the render and wait for a
  // full collection. Unstreamed, Astro builds the page as one string and encodes it once.
  adapter: node({ mode: 'middleware', bodySizeLimit: 16 * 1024, experimentalDisableStreaming: true }),
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
  vite: {
    // A new id per build: rendered sections kept by a server (src/render/section-fragments.ts)
    // are keyed by it, so HTML from older section code is never reused.
    define: { 'import.meta.env.MOSAIC_BUILD_ID': JSON.stringify(randomUUID()) },
  },
});
