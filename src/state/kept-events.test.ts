import { afterAll, beforeAll, expect, it } from 'vitest';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { createLocalStatsEngine, type StatsEngine } from '../stats/stats-engine';
import { NO_USER_FILTERS, type UserFilters } from '../domain/user-filters';
import { DatasetDisposedError, DatasetHandle } from './dataset-handle';
import { keptEventsFor } from './kept-events';
import { TableLedger } from './table-ledger';

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(() => engine.close());

/** The local stats engine, but the column check waits for `open`, and the copies it holds are listed. */
function gatedStats(): { stats: StatsEngine; held: Set<string>; open: () => void } {
  const held = new Set<string>();
  let open = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const local = createLocalStatsEngine();
  const stats: StatsEngine = {
    ...local,
    hasTextColumn: async () => {
      await gate;
      return true;
    },
    filterUsers: async (_key, keptKey) => {
      held.add(keptKey);
      return { keptUsers: 0, keptEvents: 0, excludedUsers: 0, excludedEvents: 0 };
    },
    release: async (key) => {
      held.delete(key);
    },
  };
  return { stats, held, open };
}

it('a filter whose copy is asked for while its dataset is replaced leaves no copy behind in the stats worker', async () => {
  const { stats, held, open } = gatedStats();
  const ledger = new TableLedger(async () => {});
  const handle = new DatasetHandle({ fileName: 'clicks.csv', eventsTable: 'events_1_0' }, engine, stats, ledger, ['events_1_0'], {
    raw: { id: 1, fileName: 'clicks.csv', table: 'raw_1', columns: ['user_id', 'ts', 'agent'], rowsRead: 0, rejected: 0, rejectedExamples: [], notes: [] },
    profiles: Promise.resolve([]),
  });
  const filters: UserFilters = { ...NO_USER_FILTERS, columnMatch: { column: 'agent', contains: 'bot' } };
  const kept = keptEventsFor(stats, handle, filters);
  expect(kept).not.toBeNull();
  const outcome = kept?.then(
    () => 'made',
    (error: unknown) => error,
  );
  await handle.dispose();
  open();
  expect(await outcome).toBeInstanceOf(DatasetDisposedError);
  expect([...held]).toEqual([]);
});
