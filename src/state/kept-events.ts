import { curveThresholdsUs } from '../domain/curve-thresholds';
import { userFiltersKey, type UserFilters } from '../domain/user-filters';
import { createKeptEventsViewSql } from '../sql/exclude-sql';
import { rawColumnSql } from '../sql/gap-columns-sql';
import type { StatsEngine } from '../stats/stats-engine';
import type { DatasetHandle } from './dataset-handle';
import { dictionaryColumnIpc } from './dictionary-column';
import { suggestionFor } from './suggestion';
import type { KeptEvents } from './types';

/*
 * The events a user filter keeps, made once per filter and dataset: the stats worker's copy
 * of the kept users' columns and, under the same name, a DuckDB view of their rows, so every
 * figure and every query of a result reads the same users. The gap histogram and its
 * suggestion are computed once for them too.
 */

/** Worker copies kept at once per dataset: each is a few arrays of the events' length. */
const WORKER_COPIES = 3;
let nextKept = 1;

/** The kept events of `filters`, or null when they leave no one out. */
export function keptEventsFor(stats: StatsEngine, handle: DatasetHandle, filters: UserFilters): Promise<KeptEvents> | null {
  const key = userFiltersKey(filters);
  if (key === '') return null;
  const cache = handle.keptEvents;
  let kept = cache.get(key);
  if (!kept) {
    kept = makeKept(stats, handle, filters, key);
    cache.set(key, kept);
    kept.catch(() => cache.delete(key));
    // The oldest copies make room; the view stays (it holds nothing) and a copy is made again if asked.
    while (cache.size > WORKER_COPIES) {
      const [oldKey, oldKept] = cache.entries().next().value as [string, Promise<KeptEvents>];
      cache.delete(oldKey);
      void oldKept.then((k) => stats.release(k.table)).catch(() => {});
    }
  }
  return kept;
}

async function makeKept(stats: StatsEngine, handle: DatasetHandle, filters: UserFilters, key: string): Promise<KeptEvents> {
  const base = handle.label.eventsTable;
  const column = filters.columnMatch?.column;
  if (column !== undefined && !(await stats.hasTextColumn(base, column))) {
    const ipc = await handle.withSql((engine, side) => dictionaryColumnIpc(engine, rawColumnSql(side.raw.table, column)));
    await stats.loadTextColumn(base, column, ipc);
  }
  const table = `${base}_kept_${nextKept++}`;
  handle.deriveView(table, (side) => createKeptEventsViewSql({ eventsTable: base, rawTable: side.raw.table, columns: side.raw.columns, filters }, table));
  const summary = await stats.filterUsers(base, table, filters);
  const gapBins = await stats.gapHistogram(table);
  // The same suggestion as for the whole dataset, weighed by the sessions the kept users make.
  const curve = await stats.thresholdCurve(table, curveThresholdsUs(), 'ge');
  const suggestion = await suggestionFor(stats, table, gapBins, summary.keptUsers, curve);
  return { key, table, summary, explore: { gapBins, suggestion } };
}
