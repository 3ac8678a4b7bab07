import type { Engine } from '../engine/engine';
import type { RowIngest } from '../ingest/row-ingest';
import type { StatsEngine } from '../stats/stats-engine';
import { eventsFromHandoverSql, handoverCountsSql } from '../sql/handover-sql';
import { dropTableSql } from '../sql/read-sql';
import { profileColumns } from './detect-mapping';
import type { SqlSide } from './dataset-handle';
import { LOAD_MEASURES, measureLoadStep, timeLoadStep } from './load-timing';
import type { FileSource, RawTable } from './raw-table';
import { readRegularRawTable } from './read-regular-raw';
import type { ColumnProfile } from '../domain/types';
import type { Dataset } from './types';

/*
 * DuckDB's side of a quick-read dataset (load-pipeline.ts): the raw table read from the file
 * (every cell as text, for exports and the SQL panels) and the events table made from the
 * worker's events.
 *
 * With readRawWhileSorting (StoreDeps), the raw table is read as soon as the stats worker has
 * read the rows: the worker then sorts them and makes the first figures on one core, and another
 * core is idle until the page has painted them (1M, cold: the read started at 1.38 s and took
 * 1.27 s). On this 2-core machine, shared, that slowed the first figures (sort, figures and first
 * render each slower in alternating cold loads), so it is on only where the page sees more cores.
 * Otherwise the read starts with the rest (the handover, the checks), after the paint: the
 * handover asks the stats worker for the events, which must not come before the first figures.
 */

/** Starts reading `source` into the raw table `raw_<id>`, with the quick read's dialect and header names. */
export function startRawRead(
  deps: { engine: Engine; ingestRows: RowIngest },
  source: FileSource,
  id: number,
  regular: { delimiter: string; quote: string; columns: readonly string[] },
): Promise<RawTable> {
  const read = timeLoadStep(LOAD_MEASURES.sqlRaw, () => readRegularRawTable(deps.engine, source, id, regular, deps.ingestRows));
  // A failure is the SQL side's to report (or nobody's, when the quick read is not taken).
  read.catch(() => {});
  return read;
}

/**
 * The SQL side once the raw table is read: the worker's events handed over, and the rows DuckDB
 * read and the events it joined checked against the quick read's; otherwise the tables would
 * describe another reading of the file, and the SQL panels say so.
 */
export async function sqlSideOfQuickRead(
  deps: { engine: Engine; stats: StatsEngine },
  source: FileSource,
  dataset: Dataset,
  rawRead: Promise<RawTable>,
  signal: AbortSignal,
  created: string[],
): Promise<SqlSide> {
  const { engine, stats } = deps;
  const handover = `handover_${dataset.raw.id}`;
  const eventsTable = dataset.events.table;
  const { mapping, figures } = dataset.events;
  // Only once DuckDB holds the raw table: a file too big for it is refused by that read, and
  // the handover's Arrow asked before it kept the stats worker busy for seconds at 30M
  // events, for nothing, while the person's first threshold change waited behind it.
  const raw = await rawRead;
  created.push(raw.table);
  signal.throwIfAborted();
  const byRow = stats.eventsByRowIpc(eventsTable, figures.rowsRead);
  created.push(eventsTable);
  const handoverStarted = performance.now();
  try {
    await engine.insertArrowIpc(handover, await byRow, true);
    await engine.exec(
      eventsFromHandoverSql({
        rawTable: raw.table,
        columns: raw.columns,
        handoverTable: handover,
        eventsTable,
        userColumn: mapping.user,
        urlColumn: mapping.url,
      }),
    );
  } finally {
    await engine.exec(dropTableSql(handover));
    measureLoadStep(LOAD_MEASURES.sqlHandover, handoverStarted);
  }
  const checkStarted = performance.now();
  const [counts] = await engine.query<{ rowsRead: number; events: number }>(handoverCountsSql(raw.table, eventsTable));
  if (counts?.rowsRead !== figures.rowsRead || counts.events !== figures.events) {
    throw new Error(
      `DuckDB read ${counts?.rowsRead ?? 0} rows (${counts?.events ?? 0} events) of ${source.name}, where the page read ${figures.rowsRead} rows (${figures.events} events); please report this`,
    );
  }
  measureLoadStep(LOAD_MEASURES.sqlCheck, checkStarted);
  signal.throwIfAborted();
  // The profiles are the mapping panel's evidence: the tables are ready without them. Asked of
  // DuckDB now, they come before any query asked after; without them the panel shows none, as
  // while they are made.
  const profiles = timeLoadStep(LOAD_MEASURES.sqlProfile, () => profileColumns(engine, raw)).catch((): ColumnProfile[] => []);
  return { raw, profiles };
}
