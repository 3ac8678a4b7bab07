import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './e2e/find-chromium.mjs';

const PORT = Number(process.env.E2E_PORT ?? 4317);

export default defineConfig({
  testDir: 'e2e',
  timeout: 120_000,
  expect: { timeout: 60_000 },
  fullyParallel: false,
  // One browser at a time unless E2E_WORKERS says otherwise: the suite is CPU-bound. The
  // 69 specs took 1,434 CPU-seconds with 2 workers (~21 per spec, ~1.7 of CI's 2 cores for
  // its ~12 s per spec with one worker), so a second worker could save at most ~1.5 of
  // 13.7 minutes there, and on a loaded machine it ended in two 120 s timeouts. Files write
  // only under testInfo.outputPath or a mkdtemp directory, so they may run side by side.
  workers: Number(process.env.E2E_WORKERS ?? 1),
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    // A zone far from UTC: a timestamp read in local time would shift every gap.
    timezoneId: 'America/New_York',
    locale: 'en-US',
    acceptDownloads: true,
    launchOptions: { executablePath: findChromium(), args: CHROMIUM_ARGS },
    trace: 'off',
    screenshot: 'only-on-failure',
  },
  webServer: {
    // vite directly, not through npx: an npx wrapper would leave the server behind.
    command: `node node_modules/vite/bin/vite.js preview --port ${PORT} --strictPort --host 127.0.0.1`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
