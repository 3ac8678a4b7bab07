// @ts-check
/*
 * The browser for end-to-end tests and the benchmark. Plain JavaScript (typed through
 * find-chromium.d.mts) so that both playwright.config.ts and bench/*.mjs import this one
 * copy of the search and the flags.
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

/**
 * $CHROMIUM_PATH, then Debian's /usr/bin/chromium, then a browser Playwright installed
 * itself. Never downloads one.
 * @returns {string}
 */
export function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  for (const path of candidates) if (path && existsSync(path)) return path;
  try {
    const own = chromium.executablePath();
    if (own && existsSync(own)) return own;
  } catch {
    // Playwright has no browser of its own here; fall through to the message below.
  }
  throw new Error(
    'No Chromium found for the end-to-end tests. Install one (Debian/Ubuntu: `sudo apt-get install chromium`) ' +
      'or set CHROMIUM_PATH to a Chromium or Chrome executable.',
  );
}

/** Flags for a headless Chromium that makes no request of its own (updates, sync, QUIC probes). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
