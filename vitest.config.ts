import { getViteConfig } from 'astro/config';
import type { ViteUserConfig } from 'vitest/config';

const config: ViteUserConfig = {
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
};

// Astro's Vite config lets tests render .astro components through the container API.
// (Astro and Vitest type Vite's config from different copies, hence the cast.)
export default getViteConfig(config as Parameters<typeof getViteConfig>[0]);
