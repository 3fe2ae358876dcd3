import { defineConfig } from '@playwright/test';

// The real renderer in Debian's Chromium against the real backend (the browser
// host). Playwright's own browser downloads are never used.
export default defineConfig({
  testDir: 'e2e',
  testIgnore: ['electron/**'],
  testMatch: '**/*.spec.ts',
  workers: 1,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    viewport: { width: 1400, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--font-render-hinting=none'],
    },
    trace: 'retain-on-failure',
  },
});
