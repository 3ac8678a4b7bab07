// @ts-check
/**
 * The 30M-event file (`--30m`, issue 17): one cold load in a fresh browser, watched while it
 * runs. Records whether the page loads the file or what it says instead, and when; the
 * renderer's peak memory; whether the tab stays responsive (a page.evaluate round trip,
 * every second, answered within RESPONSIVE_MS); then, once loaded, one threshold change.
 */
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../e2e/find-chromium.mjs';
import { COLD_IDLE_MS, pageProbe, probeOf, rendererMemory } from './app-browser.mjs';
import { sleep } from './stats.mjs';

/** A round trip to the page slower than this counts as the tab not responding. */
export const RESPONSIVE_MS = 1000;
/** How often the page is asked during the load. */
const POLL_MS = 1000;

/**
 * @typedef {object} LargeResult
 * @property {'ready' | 'error' | 'crashed' | 'timeout'} outcome crashed: the renderer died (a dead tab)
 * @property {number} afterMs file chosen → ready, the error, or the timeout (Node clock)
 * @property {number | null} readyMs file chosen → data-state=ready (page clock), null if never
 * @property {number | null} tablesMs file chosen → data-tables=ready (page clock), null if never
 * @property {string | null} message the page's error message, if it showed one
 * @property {{ atMs: number, state: string | null, tables: string | null, text: string }[]} statusChanges what the status element said, each time it changed
 * @property {number} rendererPeakRssBytes the largest renderer's VmHWM at the end
 * @property {number} probes round trips made during the load
 * @property {number} slowProbes round trips slower than RESPONSIVE_MS
 * @property {number} slowestProbeMs
 * @property {number | null} thresholdMs one threshold change after the load (change → ready, page clock)
 * @property {string | null} thresholdError
 * @property {Record<string, number>} stats the page's figures at 30 min, when loaded
 */

/**
 * @param {object} o
 * @param {string} o.baseUrl
 * @param {import('./data.mjs').DataFile} o.file
 * @param {(line: string) => void} o.log
 * @param {(browser: import('playwright-core').Browser | null) => void} o.onBrowser registers the browser for the signal handler
 * @returns {Promise<LargeResult>}
 */
export async function benchAppLarge({ baseUrl, file, log, onBrowser }) {
  const browser = await chromium.launch({
    executablePath: findChromium(), args: CHROMIUM_ARGS, headless: true, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
  });
  onBrowser(browser);
  try {
    const browserCdp = await browser.newBrowserCDPSession();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.addInitScript(pageProbe);
    const W = probeOf(page);
    await page.goto(baseUrl);
    await page.getByTestId('app-status').waitFor({ state: 'attached' });
    await sleep(COLD_IDLE_MS);
    const timeoutMs = 120_000 + Math.ceil(file.bytes / 1e6) * 1000;
    const since = await W.now();
    const nodeStart = performance.now();
    await page.getByTestId('file-input').setInputFiles(file.path);

    /** @type {LargeResult['statusChanges']} */
    const statusChanges = [];
    let probes = 0;
    let slowProbes = 0;
    let slowestProbeMs = 0;
    /** @type {LargeResult['outcome']} */
    let outcome = 'timeout';
    /** @type {string | null} */
    let message = null;
    while (performance.now() - nodeStart < timeoutMs) {
      const asked = performance.now();
      /** @type {{ state: string | null, tables: string | null, file: string | null, text: string, error: string | null } | null} */
      const now = await page.evaluate(() => {
        const el = document.querySelector('[data-testid=app-status]');
        return {
          state: el?.getAttribute('data-state') ?? null,
          tables: el?.getAttribute('data-tables') ?? null,
          file: el?.getAttribute('data-file') ?? null,
          text: el?.textContent ?? '',
          error: document.querySelector('[data-testid=error]')?.textContent ?? document.querySelector('[data-testid=tables-problem]')?.textContent ?? null,
        };
      }).catch((/** @type {unknown} */ error) => {
        message = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
        return null;
      });
      if (now === null) {
        outcome = 'crashed';
        log(`  app ${file.label}: the page did not answer: ${message}`);
        break;
      }
      const roundTrip = performance.now() - asked;
      probes++;
      slowestProbeMs = Math.max(slowestProbeMs, roundTrip);
      if (roundTrip > RESPONSIVE_MS) {
        slowProbes++;
        log(`  app ${file.label}: the page took ${Math.round(roundTrip)} ms to answer (more than ${RESPONSIVE_MS} ms)`);
      }
      const atMs = performance.now() - nodeStart;
      const last = statusChanges[statusChanges.length - 1];
      if (!last || last.state !== now.state || last.tables !== now.tables || last.text !== now.text) {
        statusChanges.push({ atMs, state: now.state, tables: now.tables, text: now.text.slice(0, 200) });
        log(`  app ${file.label}: ${(atMs / 1000).toFixed(1)} s: data-state=${now.state} data-tables=${now.tables}: ${now.text.slice(0, 160)}`);
      }
      if (now.tables === 'off') message = now.error;
      if (now.state === 'error') {
        outcome = 'error';
        message = now.error;
        break;
      }
      // "off": the page holds the file in its worker alone, DuckDB makes no tables of it.
      if (now.state === 'ready' && now.file === file.name && (now.tables === 'ready' || now.tables === 'off')) {
        outcome = 'ready';
        break;
      }
      await sleep(Math.max(0, POLL_MS - (performance.now() - asked)));
    }
    const afterMs = performance.now() - nodeStart;
    if (outcome === 'crashed') {
      const rendererPeakRssBytes = (await rendererMemory(browserCdp).catch(() => []))[0]?.peakRssBytes ?? 0;
      await context.close().catch(() => {});
      return {
        outcome, afterMs, readyMs: null, tablesMs: null, message, statusChanges, rendererPeakRssBytes, probes, slowProbes, slowestProbeMs,
        thresholdMs: null, thresholdError: null, stats: {},
      };
    }
    const start = (await W.firstEvent('file-input', since)) ?? since;
    /** @type {{ t: number, state: string | null, file: string | null, tables: string | null }[]} */
    const states = await page.evaluate(() => /** @type {any} */ (globalThis).__bench.states);
    const readyAt = states.find((s) => s.t >= since && s.state === 'ready' && s.file === file.name)?.t;
    const tablesAt = states.find((s) => s.t >= since && s.file === file.name && s.tables === 'ready')?.t;

    /** @type {number | null} */
    let thresholdMs = null;
    /** @type {string | null} */
    let thresholdError = null;
    /** @type {Record<string, number>} */
    const stats = {};
    if (outcome === 'ready') {
      for (const name of ['events', 'users', 'sessions', 'skipped-rows']) {
        stats[name] = Number(await page.getByTestId(`stat-${name}`).getAttribute('data-value'));
      }
      try {
        const changedFrom = await W.now();
        await page.getByTestId('gap-minutes').fill('45');
        await page.getByTestId('gap-minutes').press('Enter');
        const ready = await W.waitFor({ state: 'ready', gap: '45' }, changedFrom, 120_000);
        thresholdMs = ready - ((await W.firstEvent('gap-minutes', changedFrom)) ?? changedFrom);
      } catch (error) {
        thresholdError = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
      }
    }
    const rendererPeakRssBytes = (await rendererMemory(browserCdp))[0]?.peakRssBytes ?? 0;
    log(`  app ${file.label}: ${outcome} after ${(afterMs / 1000).toFixed(1)} s${message ? `: ${message}` : ''}; peak renderer RSS ${(rendererPeakRssBytes / 1e9).toFixed(2)} GB; ` +
      `${slowProbes} of ${probes} round trips over ${RESPONSIVE_MS} ms (slowest ${Math.round(slowestProbeMs)} ms)${thresholdMs === null ? '' : `; threshold change ${Math.round(thresholdMs)} ms`}`);
    await context.close();
    return {
      outcome, afterMs, readyMs: readyAt === undefined ? null : readyAt - start, tablesMs: tablesAt === undefined ? null : tablesAt - start, message,
      statusChanges, rendererPeakRssBytes, probes, slowProbes, slowestProbeMs, thresholdMs, thresholdError, stats,
    };
  } finally {
    await browser.close().catch(() => {});
    onBrowser(null);
  }
}
