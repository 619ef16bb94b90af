import { getViteConfig } from 'astro/config';

// Astro's Vite config lets tests render .astro components through the container API.
export default getViteConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
