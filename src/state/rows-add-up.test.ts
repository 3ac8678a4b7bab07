import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine';
import { inProcessIngest } from '../ingest/row-ingest';
import { dropTableSql } from '../sql/read-sql';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { buildEvents } from './build-events';
import { detectRawMapping } from './detect-mapping';
import type { RawTable } from './raw-table';
import { readRawTable } from './read-raw-table';
import { LoadError } from './load-errors';

/*
 * rows read = events + skipped is checked at run time, and can fail: the reader's count of
 * records, the events table's rows and the skipped rows counted by reason are three counts
 * made apart. Each case here breaks one of them on purpose, as a bug would, and expects the
 * load to stop with the three numbers rather than show figures that hide the difference.
 */

let engine: NodeEngine;
let nextId = 9700;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(() => engine.close());

// 8 rows: 5 events, 1 without a user id, 1 without a timestamp, 1 unreadable; and 1 malformed line.
const CSV = [
  'user_id,timestamp,url',
  'u1,2024-05-01T08:00:00Z,/a',
  'u1,2024-05-01T08:05:00Z,/b',
  ',2024-05-01T08:06:00Z,/c',
  'u2,2024-05-01T09:00:00Z,/a',
  'u2,,/d',
  'u2,2024-05-01T09:01:00Z',
  'u3,not a time,/e',
  'u3,2024-05-01T10:00:00Z,/f',
  'u3,2024-05-01T10:30:00Z,/g',
].join('\n');

async function readCsv(): Promise<{ raw: RawTable; id: number }> {
  const id = nextId++;
  const data = new TextEncoder().encode(`${CSV}\n`);
  const raw = await readRawTable(engine, { name: 'clicks.csv', size: data.length, data }, id, inProcessIngest);
  return { raw, id };
}

async function build(raw: RawTable, id: number, on: Engine = engine) {
  const { mapping } = await detectRawMapping(engine, raw);
  try {
    return await buildEvents(on, raw, mapping, `events_${id}`);
  } finally {
    await engine.exec(`${dropTableSql(raw.table)}; ${dropTableSql(`events_${id}`)}`);
  }
}

describe('every row accounted for, counted three ways', () => {
  it('counts the skipped rows by reason, and skipped is their sum', async () => {
    const { raw, id } = await readCsv();
    const events = await build(raw, id);
    expect(events.figures).toMatchObject({ rowsRead: 9, events: 5, skipped: 4 });
    expect(events.skippedByReason).toEqual([
      { reason: 'malformed line', count: 1 },
      { reason: 'missing timestamp', count: 1 },
      { reason: 'missing user id', count: 1 },
      { reason: 'unreadable timestamp', count: 1 },
    ]);
  });

  it('stops when the reader counted rows the raw table does not hold', async () => {
    const { raw, id } = await readCsv();
    // Two rows the reader counted are lost before the events are built.
    const error = await build({ ...raw, rowsRead: raw.rowsRead + 2 }, id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoadError);
    expect((error as LoadError).message).toBe('clicks.csv: rows do not add up: 11 rows read, 5 events and 4 skipped (2 unaccounted for). Please report this.');
  });

  it('stops when the events table lost an event', async () => {
    const { raw, id } = await readCsv();
    // A bug in building the events table, played by deleting one of its rows as it is made.
    const losing: Engine = {
      ...engine,
      exec: async (sql: string) => {
        await engine.exec(sql);
        if (sql.startsWith(`CREATE OR REPLACE TABLE "events_${id}"`)) await engine.exec(`DELETE FROM "events_${id}" WHERE row_number = 1`);
      },
    };
    const error = await build(raw, id, losing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoadError);
    expect((error as LoadError).problem).toBe('rows do not add up: 9 rows read, 4 events and 4 skipped (1 unaccounted for). Please report this.');
  });
});
