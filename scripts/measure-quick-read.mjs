// @ts-check
/**
 * Times quickRead (src/ingest/quick-read.ts) on a CSV file in Node: the module is bundled
 * with rolldown (vite's bundler) into a temporary directory, then read RUNS times in this
 * process. The first run is the cold one (as in a fresh worker); later ones are JIT-warm.
 *
 *   node scripts/measure-quick-read.mjs [FILE] [RUNS]
 *
 * FILE defaults to the 1M-event benchmark file (bench/data, made by `npm run bench`).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'rolldown';

const file = process.argv[2] ?? path.join(import.meta.dirname, '../bench/data/clicks-1000000-seed7-ooo0.02.csv');
const runs = Number(process.argv[3] ?? 5);
const dir = mkdtempSync(path.join(tmpdir(), 'quick-read-'));
try {
  await build({
    input: path.join(import.meta.dirname, '../src/ingest/quick-read.ts'),
    platform: 'node',
    output: { dir, format: 'esm', entryFileNames: 'quick-read.mjs' },
    logLevel: 'silent',
  });
  const { quickRead } = await import(pathToFileURL(path.join(dir, 'quick-read.mjs')).href);
  const bytes = new Uint8Array(readFileSync(file));
  for (let run = 0; run < runs; run++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    const result = quickRead(bytes, { delimiter: file.endsWith('.tsv') ? '\t' : ',', quote: '"' });
    const wall = performance.now() - start;
    const used = process.cpuUsage(cpu);
    const outcome = result.ok ? `${result.figures.events} events, ${result.figures.users} users` : `declined: ${result.reason}`;
    console.log(`run ${run + 1}${run === 0 ? ' (cold)' : ''}: ${wall.toFixed(0)} ms wall, ${((used.user + used.system) / 1000).toFixed(0)} ms CPU; ${outcome}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
