import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/*
 * The Python (with pyarrow and polars) that writes the Parquet twins and reads our exports
 * back: $PYTHON_FOR_TESTS (CI sets it, see .ci/run), else the repository's .venv. Tests that
 * need it are skipped, with a message saying how to get it, when neither is there.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const local = path.join(ROOT, '.venv/bin/python');

export const PYTHON: string | null = process.env.PYTHON_FOR_TESTS || (existsSync(local) ? local : null);

export const NO_PYTHON_MESSAGE =
  'skipped: no Python with pyarrow and polars (set PYTHON_FOR_TESTS, or run `python3 -m venv .venv && .venv/bin/pip install pyarrow polars`)';

if (!PYTHON && process.env.CI) throw new Error(`CI must run the Parquet tests: ${NO_PYTHON_MESSAGE}`);

/** Runs a script of scripts/ with the test Python and returns its standard output. */
export function runPython(script: string, args: string[]): string {
  if (!PYTHON) throw new Error(NO_PYTHON_MESSAGE);
  return execFileSync(PYTHON, [path.join(ROOT, 'scripts', script), ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

/** A fresh folder holding the Parquet twins of scripts/make-parquet-twins.py. */
export function makeParquetTwins(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'parquet-twins-'));
  runPython('make-parquet-twins.py', [dir]);
  return dir;
}
