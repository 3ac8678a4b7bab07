import type { Engine } from './engine';
import { dropWarmUpSql, warmUpReadSql } from '../sql/startup-sql';

/*
 * DuckDB-WASM's first reads in a page are slow: its code is compiled lazily and the hot
 * functions optimised after use, and its memory grows (and is touched) on demand. Cold, the
 * SQL side of a 1M-event file read its raw table in 1.6-2.2 s; after one read of a small
 * generated file while the page was idle, in 1.3-1.5 s (bench, cold loads, alternating).
 * So while the page is idle and empty, DuckDB reads a small generated clickstream a few
 * times; a file chosen stops it between two reads.
 */

/** Rows of the generated clickstream. */
export const WARM_UP_ROWS = 20_000;
/** Reads at most, one request each: the warm-up stops between two. */
export const WARM_UP_READS = 6;
const FILE = 'sessionizer-warm-up.csv';

/** Warms DuckDB up until `signal` aborts (checked before each read); leaves no table or file behind. */
export async function warmUpEngine(engine: Engine, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  await engine.registerFile(FILE, warmUpCsv(WARM_UP_ROWS));
  try {
    for (let i = 0; i < WARM_UP_READS && !signal.aborted; i++) await engine.exec(warmUpReadSql(FILE));
  } finally {
    await engine.exec(dropWarmUpSql());
    await engine.dropFile(FILE);
  }
}

/** A clickstream of the shape the benchmark's files have: user, ISO instant, url, referrer, device. */
function warmUpCsv(rows: number): Uint8Array {
  const lines = ['user_id,timestamp,url,referrer,device'];
  const start = Date.UTC(2024, 4, 1);
  for (let i = 0; i < rows; i++) {
    const at = new Date(start + i * 7_919).toISOString();
    lines.push(`u${(i * 7) % 1_500},${at},/products/${i % 211},${i % 5 === 0 ? 'https://example.com/' : ''},${i % 3 === 0 ? 'mobile' : 'desktop'}`);
  }
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}
