// @ts-check
/**
 * The benchmark's input files: deterministic clickstreams written by the project's own
 * generator (scripts/generate-sample.mjs) into bench/data/, with a small JSON file beside
 * each recording the options and the size, so a later run reuses a file only when it was
 * made with the same options and is complete.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DATA_DIR = path.join(ROOT, 'bench', 'data');
const GENERATOR = path.join(ROOT, 'scripts', 'generate-sample.mjs');

/** Seed and out-of-order share of every benchmark file. */
export const SEED = 7;
export const OUT_OF_ORDER = 0.02;

/**
 * @typedef {object} DataFile
 * @property {string} label "100k", "1M", "10M", "warm-up"
 * @property {number} events
 * @property {string} path absolute
 * @property {string} name file name (what the page shows in data-file)
 * @property {number} bytes
 * @property {boolean} reused
 * @property {number | null} generateSeconds null when reused
 */

/**
 * @param {number} events
 */
function fileName(events) {
  return `clicks-${events}-seed${SEED}-ooo${OUT_OF_ORDER}.csv`;
}

/**
 * Returns the file for `events`, generating it if it is missing or was made differently.
 * @param {string} label
 * @param {number} events
 * @param {(line: string) => void} log
 * @returns {Promise<DataFile>}
 */
export async function ensureDataFile(label, events, log) {
  const name = fileName(events);
  const file = path.join(DATA_DIR, name);
  const metaFile = `${file}.json`;
  const options = { events, seed: SEED, outOfOrder: OUT_OF_ORDER, format: 'iso', generator: 'scripts/generate-sample.mjs' };
  if (existsSync(file) && existsSync(metaFile)) {
    try {
      const meta = JSON.parse(readFileSync(metaFile, 'utf8'));
      const same = JSON.stringify(meta.options) === JSON.stringify(options);
      if (same && statSync(file).size === meta.bytes) {
        log(`data: reusing ${path.relative(ROOT, file)} (${(meta.bytes / 1e6).toFixed(1)} MB)`);
        return { label, events, path: file, name, bytes: meta.bytes, reused: true, generateSeconds: null };
      }
    } catch {
      // unreadable metadata: generate again
    }
  }
  log(`data: generating ${events.toLocaleString('en-US')} events into ${path.relative(ROOT, file)}…`);
  const partial = `${file}.partial`;
  rmSync(metaFile, { force: true });
  const started = performance.now();
  await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [
      GENERATOR, '--events', String(events), '--seed', String(SEED), '--out-of-order', String(OUT_OF_ORDER), '--out', partial,
    ], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve(undefined) : reject(new Error(`generator exited with ${code ?? signal}`))));
  });
  renameSync(partial, file);
  const bytes = statSync(file).size;
  writeFileSync(metaFile, `${JSON.stringify({ options, bytes }, null, 2)}\n`);
  return { label, events, path: file, name, bytes, reused: false, generateSeconds: (performance.now() - started) / 1000 };
}
