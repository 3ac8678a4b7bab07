import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNodeEngine } from '../test/node-engine';
import { inProcessIngest } from '../ingest/row-ingest';
import { AppStore } from './app-store';

/*
 * Known answer for the bundled sample (public/sample/README.md, seed 20240501): the same
 * numbers are checked through the page in e2e/sample.spec.ts.
 */
const SAMPLE_AT_30_MIN = { rowsRead: 40_005, events: 40_000, users: 3_000, skipped: 5, sessions: 9_655 };

describe('the bundled sample', () => {
  it('loads with the documented figures', async () => {
    const bytes = new Uint8Array(readFileSync(path.resolve(import.meta.dirname, '../../public/sample/clicks-sample.csv')));
    const store = new AppStore({ engine: createNodeEngine(), ingestRows: inProcessIngest });
    await store.loadFile({ name: 'clicks-sample.csv', size: bytes.length, data: bytes });
    const { dataset, result, error, status } = store.getState();
    expect(error).toBeNull();
    expect(status).toBe('ready');
    expect(dataset?.events.mapping).toMatchObject({ user: 'user_id', timestamp: 'timestamp', url: 'url', format: 'iso' });
    const f = dataset?.events.figures;
    expect({ rowsRead: f?.rowsRead, events: f?.events, users: f?.users, skipped: f?.skipped, sessions: result?.stats.sessions }).toEqual(SAMPLE_AT_30_MIN);
    expect(dataset?.events.skippedByReason).toEqual([
      { reason: 'missing user id', count: 3 },
      { reason: 'unreadable timestamp', count: 2 },
    ]);
    expect(dataset?.events.skippedExamples.map((r) => r.row)).toEqual([513, 13818, 19335, 32591, 38716]);
    // The lines public/sample/README.md gives ("line in the file"): the header is line 1.
    expect(dataset?.events.skippedExamples.map((r) => r.line)).toEqual([514, 13819, 19336, 32592, 38717]);
  });
});
