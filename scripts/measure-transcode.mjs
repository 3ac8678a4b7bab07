// @ts-check
/**
 * Measures src/ingest/transcode.ts in headless chromium: a Windows-1252 file of SIZE_MB
 * (default 600) is re-encoded to UTF-8 as the loader does. Reports the time, the page's JS
 * heap (sampled every 20 ms with precise memory info) and the resident memory of every
 * chromium process (sampled with ps), each at its peak, then checks the result's size and
 * its first and last bytes. The page is served from localhost, so it has the origin private
 * file system the re-encoded copy is written to.
 *
 *   node scripts/measure-transcode.mjs [SIZE_MB] [--persistent] [--source=FILE]
 *
 * --persistent runs in a normal (on-disk) profile, where chromium may page large Blobs to
 * disk; the default is the fresh in-memory profile Playwright gives (as the e2e tests run).
 */
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { transformWithOxc } from 'vite';
import { CHROMIUM_ARGS, findChromium } from '../bench/app-browser.mjs';

const sizeMb = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 600);
const persistent = process.argv.includes('--persistent');
const sourceArg = process.argv.find((a) => a.startsWith('--source='));
// --source=FILE measures another version of transcode.ts (e.g. \`git show REV:src/ingest/transcode.ts\`).
const source = readFileSync(sourceArg ? sourceArg.slice('--source='.length) : path.join(import.meta.dirname, '../src/ingest/transcode.ts'), 'utf8');
const { code } = await transformWithOxc(source, 'transcode.ts', { lang: 'ts' });

/** Resident memory (MB) of the chromium process whose command line holds `marker` and of its descendants, by pid. */
function chromiumRss(marker) {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,rss=,args='], { encoding: 'utf8' });
  const rows = out.split('\n').flatMap((line) => {
    const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    return m ? [{ pid: m[1] ?? '', ppid: m[2] ?? '', mb: Number(m[3]) / 1024, args: m[4] ?? '' }] : [];
  });
  const ours = new Set(rows.filter((r) => r.args.includes(marker)).map((r) => r.pid));
  for (let grown = true; grown; ) {
    grown = false;
    for (const r of rows)
      if (ours.has(r.ppid) && !ours.has(r.pid)) {
        ours.add(r.pid);
        grown = true;
      }
  }
  return Object.fromEntries(rows.filter((r) => ours.has(r.pid)).map((r) => [r.pid, r.mb]));
}

const profile = mkdtempSync(path.join(tmpdir(), 'measure-transcode-'));
// An unknown switch that marks this run's browser process among others on the machine.
const marker = `--measure-transcode-run=${path.basename(profile)}`;
const args = [...CHROMIUM_ARGS, '--headless', '--enable-precise-memory-info', marker];
const context = persistent
  ? await chromium.launchPersistentContext(profile, { executablePath: findChromium(), args })
  : await (await chromium.launch({ executablePath: findChromium(), args })).newContext();
try {
  const page = await context.newPage();
  // An origin of its own (the private file system needs one): an empty page on localhost.
  const server = createServer((_req, res) => res.end('<!doctype html><title>transcode</title>'));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  await page.goto(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`);
  server.close();
  await page.addScriptTag({ type: 'module', content: `${code}\nwindow.transcodeToUtf8 = transcodeToUtf8;` });
  await page.waitForFunction(() => 'transcodeToUtf8' in window);
  const peakRss = /** @type {Record<string, number>} */ ({});
  const sampler = setInterval(() => {
    for (const [pid, mb] of Object.entries(chromiumRss(marker))) peakRss[pid] = Math.max(peakRss[pid] ?? 0, mb);
  }, 100);
  const result = await page.evaluate(async (mb) => {
    // 1 MB of Windows-1252 clickstream lines (accents, curly quotes, €), repeated by
    // reference: the source Blob costs 1 MB, whatever its size.
    const line = 'u1234,2024-05-01T10:00:00Z,/caf\u00e9/gr\u00f6\u00dfe?q=\u201cx\u201d\u20ac5\n';
    const cp1252 = new Map([
      ['\u201c', 0x93],
      ['\u201d', 0x94],
      ['\u20ac', 0x80],
    ]);
    const lineBytes = Uint8Array.from(line, (ch) => cp1252.get(ch) ?? ch.charCodeAt(0));
    const chunk = new Uint8Array(1 << 20);
    for (let at = 0; at + lineBytes.length <= chunk.length; at += lineBytes.length) chunk.set(lineBytes, at);
    const used = chunk.length - (chunk.length % lineBytes.length);
    const part = new Blob([chunk.subarray(0, used)]);
    const input = new Blob(Array.from({ length: mb }, () => part));
    const heap = () => /** @type {any} */ (performance).memory.usedJSHeapSize / 2 ** 20;
    let peakHeap = heap();
    const before = peakHeap;
    const timer = setInterval(() => {
      peakHeap = Math.max(peakHeap, heap());
    }, 20);
    const t0 = performance.now();
    const result = await /** @type {any} */ (window).transcodeToUtf8(input, 'windows-1252');
    // Before the streamed version, the result was a Uint8Array held in the page.
    const out = result instanceof Uint8Array ? new Blob([result]) : result.file;
    const release = result instanceof Uint8Array ? async () => undefined : result.release;
    const ms = performance.now() - t0;
    clearInterval(timer);
    peakHeap = Math.max(peakHeap, heap());
    const head = new TextDecoder().decode(await out.slice(0, 64).arrayBuffer());
    const tail = new TextDecoder().decode(await out.slice(out.size - 64).arrayBuffer());
    await release();
    return { inputBytes: input.size, outputBytes: out.size, ms, heapBeforeMb: before, peakHeapMb: peakHeap, head, tail };
  }, sizeMb);
  clearInterval(sampler);
  const perProcess = Object.values(peakRss).sort((a, b) => b - a);
  console.log(
    JSON.stringify(
      {
        profile: persistent ? 'persistent (on disk)' : 'in-memory (Playwright default)',
        inputMb: +(result.inputBytes / 2 ** 20).toFixed(1),
        outputMb: +(result.outputBytes / 2 ** 20).toFixed(1),
        seconds: +(result.ms / 1000).toFixed(2),
        mbPerSecond: +(result.inputBytes / 2 ** 20 / (result.ms / 1000)).toFixed(0),
        pageHeapMb: { before: +result.heapBeforeMb.toFixed(1), peak: +result.peakHeapMb.toFixed(1) },
        chromiumPeakRssMbByProcess: perProcess.map((v) => +v.toFixed(0)),
        head: result.head.split('\n')[0],
        tail: result.tail.split('\n').at(-2),
      },
      null,
      2,
    ),
  );
} finally {
  await context.close();
  await context.browser()?.close();
  rmSync(profile, { recursive: true, force: true });
}
