// @ts-check
/**
 * `npm run screenshots`: README's screenshots, regenerated from the built page. Builds nothing:
 * run `npm run build` first. Serves dist/ with `vite preview` on a free port, opens it in the
 * same headless Chromium as the end-to-end tests, loads the bundled sample and writes PNGs of
 * the viewport (not the full page, to keep them small) to docs/screenshots/:
 *
 *   workspace-1280.png        the threshold workspace at 1280×800
 *   workspace-1280-dark.png   the same in dark mode
 *   phone-390.png             a phone at 390×844
 *   sessions-1280.png         the session list and sessions over time, scrolled into view
 *   lanes-1280.png            the lanes, scrolled into view
 *
 * Pass file names (as above) to write only those.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../e2e/find-chromium.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const DIST = path.join(ROOT, 'dist');
const OUT = path.join(ROOT, 'docs', 'screenshots');
/** README embeds these: past it a screenshot is probably a full page or an unexpected image. */
const MAX_BYTES = 300_000;

/** @param {string} line */
const log = (line) => process.stderr.write(`${line}\n`);

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** @param {string} url @param {import('node:child_process').ChildProcess} server */
async function waitForServer(url, server) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`vite preview exited with ${server.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`vite preview did not answer on ${url} within 60 s`);
}

/**
 * @typedef {import('playwright-core').Page} Page
 * @typedef {{ file: string, viewport: { width: number, height: number }, colorScheme: 'light' | 'dark', frame?: (page: Page) => Promise<void> }} Shot
 */

/** Scrolls an element to the top of the page, under the sticky threshold bar. @param {Page} page @param {string} selector */
async function scrollUnderBar(page, selector) {
  await page.locator(selector).first().waitFor({ state: 'visible', timeout: 60_000 });
  await page.evaluate((sel) => {
    const target = document.querySelector(sel);
    const bar = document.querySelector('.threshold-bar');
    if (!target) throw new Error(`no ${sel} on the page`);
    const barHeight = bar ? bar.getBoundingClientRect().height : 0;
    window.scrollTo(0, window.scrollY + target.getBoundingClientRect().top - barHeight - 8);
  }, selector);
}

/** @type {Shot[]} */
const SHOTS = [
  { file: 'workspace-1280.png', viewport: { width: 1280, height: 800 }, colorScheme: 'light' },
  { file: 'workspace-1280-dark.png', viewport: { width: 1280, height: 800 }, colorScheme: 'dark' },
  { file: 'phone-390.png', viewport: { width: 390, height: 844 }, colorScheme: 'light' },
  {
    file: 'sessions-1280.png',
    viewport: { width: 1280, height: 800 },
    colorScheme: 'light',
    frame: async (page) => {
      await page.locator('[data-testid=session-list][data-state=ready]').waitFor({ timeout: 60_000 });
      await page.locator('[data-testid=sessions-over-time][data-state=ready]').waitFor({ timeout: 60_000 });
      await scrollUnderBar(page, '#sessions');
    },
  },
  {
    file: 'lanes-1280.png',
    viewport: { width: 1280, height: 800 },
    colorScheme: 'light',
    frame: async (page) => {
      await page.locator('[data-testid=timeline-lane]').first().waitFor({ timeout: 60_000 });
      await scrollUnderBar(page, '.lanes-panel');
    },
  },
];

/** @param {import('playwright-core').Browser} browser @param {string} baseUrl @param {Shot} shot */
async function take(browser, baseUrl, shot) {
  const context = await browser.newContext({ viewport: shot.viewport, colorScheme: shot.colorScheme, timezoneId: 'America/New_York', locale: 'en-US' });
  try {
    const page = await context.newPage();
    await page.goto(baseUrl);
    await page.getByTestId('load-sample').click();
    await page.locator('[data-testid=app-status][data-state=ready]').waitFor({ timeout: 120_000 });
    // DuckDB's tables too: until then the status says it is still reading, which is not the page at rest.
    await page.locator('[data-testid=app-status][data-tables=ready]').waitFor({ timeout: 120_000 });
    if (shot.frame) await shot.frame(page);
    // Let the charts finish their layout (recharts measures its box after the first frame).
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const file = path.join(OUT, shot.file);
    await page.screenshot({ path: file });
    const bytes = statSync(file).size;
    log(`${path.relative(ROOT, file)}: ${shot.viewport.width}×${shot.viewport.height} ${shot.colorScheme}, ${Math.round(bytes / 1024)} KB`);
    if (bytes > MAX_BYTES) throw new Error(`${shot.file} is ${bytes} bytes, more than ${MAX_BYTES}: not a viewport screenshot?`);
  } finally {
    await context.close();
  }
}

async function main() {
  if (!existsSync(path.join(DIST, 'index.html'))) throw new Error('dist/ has no build: run `npm run build` first');
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !SHOTS.some((s) => s.file === name));
  if (unknown.length > 0) throw new Error(`no screenshot named ${unknown.join(', ')} (known: ${SHOTS.map((s) => s.file).join(', ')})`);
  const shots = wanted.length > 0 ? SHOTS.filter((s) => wanted.includes(s.file)) : SHOTS;
  mkdirSync(OUT, { recursive: true });

  const port = await freePort();
  // vite directly, not through npx, in its own process group so that it goes with us.
  const server = spawn(
    process.execPath,
    [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'],
    { cwd: ROOT, detached: true, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const stopServer = () => {
    try {
      if (server.pid) process.kill(-server.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  process.on('exit', stopServer);
  /** @type {import('playwright-core').Browser | null} */
  let browser = null;
  try {
    const baseUrl = `http://127.0.0.1:${port}/`;
    await waitForServer(baseUrl, server);
    browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
    for (const shot of shots) await take(browser, baseUrl, shot);
  } finally {
    await browser?.close();
    stopServer();
  }
}

main().catch((error) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
