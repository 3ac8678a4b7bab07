// @ts-check
/**
 * `node bench/views-1m.mjs [--port 4396] [--events 1000000]`: every view of issue 16 on a
 * generated 1M-event file in headless Chromium, through the page's contract hooks, after
 * `npm run build` (serves dist/). Prints what each view shows and how long it took to be
 * ready, and whether its numbers agree with the figures (the session list's total and the
 * sessions-over-time bins against stat-sessions; lanes present; the second threshold; the
 * user filter). A check to run by hand at a size tests do not reach; it asserts nothing.
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../e2e/find-chromium.mjs';
import { ROOT, ensureDataFile } from './data.mjs';

const { values: args } = parseArgs({
  args: process.argv.slice(2),
  options: { port: { type: 'string', default: '4396' }, events: { type: 'string', default: '1000000' } },
});
/** @param {string} line */
const log = (line) => process.stderr.write(`${line}\n`);
const file = await ensureDataFile(`${Number(args.events) / 1e6}M`, Number(args.events), log);
const preview = spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'preview', '--port', args.port, '--strictPort', '--host', '127.0.0.1'], {
  cwd: ROOT,
  stdio: 'ignore',
  detached: true,
});
process.on('exit', () => {
  try {
    if (preview.pid) process.kill(-preview.pid, 'SIGTERM');
  } catch {
    // already gone
  }
});
await new Promise((r) => setTimeout(r, 2500));

const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, timezoneId: 'America/New_York' });
const timeout = { timeout: 180_000 };
/** @type {[string, string, string][]} */
const rows = [];
const attr = (/** @type {string} */ testId, /** @type {string} */ name) => page.getByTestId(testId).first().getAttribute(name);
const ready = () => page.waitForFunction(() => document.querySelector('[data-testid=app-status]')?.getAttribute('data-state') === 'ready', null, timeout);
const since = async (/** @type {number} */ t0) => `${Math.round((await page.evaluate(() => performance.now())) - t0)} ms`;

await page.goto(`http://127.0.0.1:${args.port}`);
let t0 = await page.evaluate(() => performance.now());
await page.getByTestId('file-input').setInputFiles(file.path);
await ready();
await page.waitForFunction(() => document.querySelector('[data-testid=app-status]')?.getAttribute('data-tables') === 'ready', null, timeout);
const sessions = Number(await attr('stat-sessions', 'data-value'));
rows.push(['loaded, SQL tables ready', `${sessions} sessions, ${await attr('stat-users', 'data-value')} users`, await since(t0)]);

t0 = await page.evaluate(() => performance.now());
await page.waitForFunction(() => document.querySelector('[data-testid=session-list]')?.getAttribute('data-state') === 'ready', null, timeout);
const total = Number(await attr('session-list', 'data-total'));
rows.push(['session list', `data-total ${total} ${total === sessions ? '= stat-sessions ✅' : '≠ stat-sessions ❌'}`, await since(t0)]);

t0 = await page.evaluate(() => performance.now());
await page.waitForFunction(() => document.querySelector('[data-testid=sessions-over-time]')?.getAttribute('data-state') === 'ready', null, timeout);
const binned = await page.$$eval('[data-testid=sessions-over-time] [data-sessions]', (els) => els.reduce((s, e) => s + Number(e.getAttribute('data-sessions')), 0));
rows.push(['sessions over time', `bins sum to ${binned} ${binned === sessions ? '✅' : '❌'}`, await since(t0)]);

t0 = await page.evaluate(() => performance.now());
await page.getByTestId('timeline-lanes').first().waitFor(timeout);
await page.getByTestId('timeline-lane').first().waitFor(timeout);
rows.push(['lanes', `${await page.getByTestId('timeline-lane').count()} lanes`, await since(t0)]);

t0 = await page.evaluate(() => performance.now());
await page.getByTestId('session-row').first().click();
await page.waitForFunction(() => (document.querySelector('[data-testid=timeline]')?.getAttribute('data-user') ?? '') !== '', null, timeout);
await ready();
rows.push(['a row opens the timeline', `user ${await attr('timeline', 'data-user')}, ${await attr('timeline', 'data-sessions')} sessions`, await since(t0)]);

t0 = await page.evaluate(() => performance.now());
await page.getByTestId('compare-gap-minutes').fill('60');
await page.getByTestId('compare-gap-minutes').press('Enter');
await page.waitForFunction(() => document.querySelector('[data-testid=threshold-diff]')?.hasAttribute('data-merged'), null, timeout);
await ready();
const a = Number(await attr('threshold-diff', 'data-sessions-a'));
rows.push([
  'second threshold 60 min',
  `a ${a} ${a === sessions ? '✅' : '❌'}, b ${await attr('threshold-diff', 'data-sessions-b')}, merged ${await attr('threshold-diff', 'data-merged')}, users changed ${await attr('threshold-diff', 'data-users-changed')}`,
  await since(t0),
]);

t0 = await page.evaluate(() => performance.now());
await page.getByTestId('exclude-events-over').fill('500');
await page.waitForFunction(() => document.querySelector('[data-testid=stat-excluded-users]')?.getAttribute('data-value') !== '0', null, timeout);
await ready();
await page.waitForFunction(() => document.querySelector('[data-testid=session-list]')?.getAttribute('data-state') === 'ready', null, timeout);
const kept = Number(await attr('stat-sessions', 'data-value'));
const keptTotal = Number(await attr('session-list', 'data-total'));
rows.push([
  'users over 500 events left out',
  `${await attr('stat-excluded-users', 'data-value')} users out; ${kept} sessions; list ${keptTotal} ${keptTotal === kept ? '✅' : '❌'}`,
  await since(t0),
]);

await browser.close();
console.log(`| ${Number(args.events).toLocaleString('en-US')} events | shows | ready after |\n| --- | --- | --- |`);
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
process.exit(0);
