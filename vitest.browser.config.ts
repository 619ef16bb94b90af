import type { ViteUserConfig } from 'vitest/config';
import { defineConfig } from 'vitest/config';

// Browser tests: real Chromium (Debian's), against a real server on the suite's database.
export default defineConfig({
  test: {
    include: ['tests-browser/**/*.browser.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // A browser on a busy two-core machine can take more than the default second to show a change.
    expect: { poll: { timeout: 5_000 } },
  },
} satisfies ViteUserConfig);
