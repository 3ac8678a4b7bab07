// @ts-check
/**
 * `node bench/slider.mjs --dist DIR [--dist DIR2 ...] [--sizes 100k,1M] [--port 4401] [--rounds 1] [--profile FILE]`:
 * threshold changes only, the way bench/app-browser.mjs times them (the minutes input's
 * change event → data-state=ready with the new data-gap-minutes, on the page's clock), for
 * one or more builds, alternating between them round by round so that a busy machine
 * disturbs each alike. Per build and size: five changes right after the load (before
 * DuckDB's tables are made, when the quick read lets the figures come first), the
 * benchmark's sweep of 20 thresholds once settled, and a slider drag (long tasks, the
 * longest, results shown). `--profile FILE` writes a CPU profile of the main thread during
 * the settled sweep of the first build (open it in Chromium's DevTools). Asserts nothing.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../e2e/find-chromium.mjs';
import { pageProbe, probeOf, thresholdSweep } from './app-browser.mjs';
import { ROOT, ensureDataFile } from './data.mjs';
import { median, percentile, sleep } from './stats.mjs';

const { values: args } = parseArgs({
  args: process.argv.slice(2),
  options: {
    dist: { type: 'string', multiple: true },
    sizes: { type: 'string', default: '100k,1M' },
    port: { type: 'string', default: '4401' },
    rounds: { type: 'string', default: '1' },
    profile: { type: 'string' },
  },
});
/** @param {string} line */
const log = (line) => process.stderr.write(`${line}\n`);
const SIZES = { '100k': 100_000, '1M': 1_000_000, '10M': 10_000_000 };
const dists = (args.dist ?? [path.join(ROOT, 'dist')]).map((d) => path.resolve(d));
const sizes = args.sizes.split(',').map((s) => /** @type {keyof typeof SIZES} */ (s.trim()));
const warmup = await ensureDataFile('warm-up', 1000, log);
const files = [];
for (const s of sizes) files.push(await ensureDataFile(s, SIZES[s], log));

/** @param {string} dist */
async function serve(dist) {
  const child = spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'preview', '--outDir', dist, '--port', args.port, '--strictPort', '--host', '127.0.0.1'], {
    cwd: ROOT,
    stdio: 'ignore',
    detached: true,
  });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${args.port}/`)).ok) return child;
    } catch {
      // not up yet
    }
    await sleep(100);
  }
  throw new Error(`vite preview of ${dist} did not start`);
}

/** @param {import('node:child_process').ChildProcess} child */
function stop(child) {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

/** @type {Record<string, { after: number[], settled: number[], drag: any[] }>} */
const results = {};
const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
try {
  for (let round = 0; round < Number(args.rounds); round++) {
    for (const [d, dist] of dists.entries()) {
      const server = await serve(dist);
      try {
        for (const file of files) {
          const key = `${path.basename(dist)} ${file.label}`;
          const r = (results[key] ??= { after: [], settled: [], drag: [] });
          const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
          const page = await context.newPage();
          await page.addInitScript(pageProbe);
          const W = probeOf(page);
          const timeout = 120_000 + Math.ceil(file.bytes / 1e6) * 1000;
          await page.goto(`http://127.0.0.1:${args.port}/`);
          await page.getByTestId('app-status').waitFor({ state: 'attached' });
          for (const f of [warmup, file]) {
            const since = await W.now();
            await page.getByTestId('file-input').setInputFiles(f.path);
            await W.waitFor({ state: 'ready', file: f.name }, since, timeout);
          }
          const input = page.getByTestId('gap-minutes');
          /** @param {number} minutes */
          const change = async (minutes) => {
            const since = await W.now();
            await input.fill(String(minutes));
            await input.press('Enter');
            const ready = await W.waitFor({ state: 'ready', gap: String(minutes) }, since, timeout);
            const start = await W.firstEvent('gap-minutes', since);
            return ready - (start ?? since);
          };
          for (const minutes of [1, 60, 5, 600, 2]) r.after.push(await change(minutes));
          await W.waitFor({ file: file.name, tables: 'ready' }, -1, timeout);
          await sleep(1500);
          const cdp = args.profile && d === 0 && round === 0 ? await context.newCDPSession(page) : null;
          if (cdp) {
            await cdp.send('Profiler.enable');
            await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
            await cdp.send('Profiler.start');
          }
          for (const minutes of thresholdSweep(20)) r.settled.push(await change(minutes));
          if (cdp && args.profile) {
            const { profile } = /** @type {any} */ (await cdp.send('Profiler.stop'));
            writeFileSync(args.profile.replace(/(\.cpuprofile)?$/, `-${file.label}.cpuprofile`), JSON.stringify(profile));
          }
          // The drag: from the slider's left end to its right end in 150 steps ~20 ms apart.
          const slider = page.getByTestId('gap-slider');
          await slider.scrollIntoViewIfNeeded();
          const box = await slider.boundingBox();
          if (!box) throw new Error('the slider has no box');
          const y = box.y + box.height / 2;
          const dragStart = await W.now();
          await page.mouse.move(box.x + 2, y);
          await page.mouse.down();
          const t0 = performance.now();
          for (let i = 1; i <= 150; i++) {
            await page.mouse.move(box.x + 2 + ((box.width - 4) * i) / 150, y);
            const wait = t0 + i * 20 - performance.now();
            if (wait > 0) await sleep(wait);
          }
          await page.mouse.up();
          const finalGap = await input.inputValue();
          const settled = await W.waitFor({ state: 'ready', gap: finalGap }, -1, timeout);
          const probe = await page.evaluate((from) => {
            const b = /** @type {any} */ (globalThis).__bench;
            const tasks = b.longtasks.filter((/** @type {any} */ l) => l.start + l.duration >= from);
            const shown = b.states.filter((/** @type {any} */ s, /** @type {number} */ i) => s.t >= from && i > 0 && s.gap !== b.states[i - 1].gap).length;
            return { longTasks: tasks.length, longestMs: tasks.reduce((m, /** @type {any} */ l) => Math.max(m, l.duration), 0), shown };
          }, dragStart);
          r.drag.push({ ...probe, pageMs: Math.round(settled - dragStart) });
          await context.close();
          log(`${key}: after load ${r.after.slice(-5).map(Math.round).join(' ')}; settled median ${median(r.settled).toFixed(1)} p95 ${percentile(r.settled, 95).toFixed(1)}; drag ${JSON.stringify(r.drag.at(-1))}`);
        }
      } finally {
        stop(server);
        await sleep(300);
      }
    }
  }
} finally {
  await browser.close();
}
console.log('| build size | right after load: median (max) | settled: median | p95 | max | drag: long tasks, longest | results shown |');
console.log('|---|---|---|---|---|---|---|');
for (const [key, r] of Object.entries(results)) {
  const f = (/** @type {number} */ x) => `${x.toFixed(1)} ms`;
  const longest = Math.max(...r.drag.map((x) => x.longestMs));
  console.log(
    `| ${key} | ${f(median(r.after))} (${f(Math.max(...r.after))}) | ${f(median(r.settled))} | ${f(percentile(r.settled, 95))} | ${f(Math.max(...r.settled))} | ${r.drag.map((x) => x.longTasks).join('/')}, ${Math.round(longest)} ms | ${r.drag.map((x) => x.shown).join('/')} |`,
  );
}
