// Electron end-to-end tests: `npx playwright test -c e2e/electron/playwright.config.ts`
// (npm script "test:e2e:electron"). No browser project and no web server: each test starts the
// app with Playwright's _electron.launch, given the executable's path explicitly, so Playwright never
// require()s the electron package (which would try to download the binary). Where there is no
// Electron binary, or the app is not built, every test reports itself skipped, by name, with the reason.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.ts$/,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: '../../test-results/electron',
});
