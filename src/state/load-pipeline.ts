import type { Engine } from '../engine/engine';
import type { RowIngest } from '../ingest/row-ingest';
import type { StatsEngine, QuickLoad } from '../stats/stats-engine';
import { QUICK_READ_MAX_BYTES } from '../ingest/quick-read';
import { gapColumnsSql, urlColumnSql } from '../sql/gap-columns-sql';
import { dropTableSql } from '../sql/read-sql';
import { dictionaryColumnIpc } from './dictionary-column';
import { buildEvents, zonelessNote, type EventsTable } from './build-events';
import { detectRawMapping, mappingQuestion, type DetectedMapping } from './detect-mapping';
import type { FileSource, RawTable } from './raw-table';
import { readRawTable, sniffSource } from './read-raw-table';
import { sqlSideOfQuickRead, startRawRead } from './quick-sql-side';
import { DatasetHandle, type SqlSide } from './dataset-handle';
import { checkedFile, countFileRows } from './file-counts';
import { engineMessage } from './load-errors';
import { LOAD_MEASURES, measureLoadStep, timeLoadStep } from './load-timing';
import type { TableLedger } from './table-ledger';
import type { ColumnProfile } from '../domain/types';
import type { Dataset, LoadedFile, MappingQuestion } from './types';

/*
 * The one load pipeline: a file's reader builds its events once, and hands them to the other
 * side.
 *   quick read   a clean UTF-8 CSV/TSV: the stats worker reads the file into its columns; the
 *                dataset is shown from them; DuckDB then reads the file's cells into the raw
 *                table (or meanwhile: readRawWhileSorting) and takes the worker's events over
 *                as Arrow (quick-sql-side.ts, handover-sql.ts).
 *   DuckDB       anything else: DuckDB reads the raw table and builds the events table; the
 *                stats worker takes its gap, time and row columns over as Arrow.
 * Either way a dataset has one event table, and the figures come from the worker's copy.
 */

export interface PipelineDeps {
  engine: Engine;
  stats: StatsEngine;
  /** A second stats engine that reads a big file's second half while `stats` reads the first. */
  quickHelper?: StatsEngine;
  ingestRows: RowIngest;
  ledger: TableLedger;
  /** See StoreDeps.readRawWhileSorting; otherwise the raw table is read when the SQL side starts (after the paint). */
  readRawWhileSorting?: boolean;
}

/** One job's view of the pipeline: its abort signal, what it tells the page, what it made. */
export interface JobContext extends PipelineDeps {
  signal: AbortSignal;
  progress(activity: string): void;
  /** Tables and stats keys the job made; those no dataset retains are dropped when it ends. */
  created: string[];
}

export type QuickLoaded = Extract<QuickLoad, { ok: true }>;

/** The dialect for a quick read of `source`, or null when only DuckDB should read it. */
export async function quickReadDialect(source: FileSource): Promise<{ delimiter: string; quote: string } | null> {
  if (source.size > QUICK_READ_MAX_BYTES) return null;
  // A file the sniffer refuses is refused by DuckDB's path with the reason; nothing to do here.
  const sniff = await sniffSource(source).catch(() => null);
  const first = sniff?.firstLine;
  if (sniff?.kind !== 'delimited' || sniff.encoding !== 'utf-8' || !first) return null;
  if (!first.header || first.titleLines > 0 || first.blankLinesAbove > 0 || first.mixedLineEndings) return null;
  return { delimiter: first.delimiter, quote: first.quote };
}

/**
 * Reads a file into a dataset: by the quick read when it takes the file, else by DuckDB. When
 * the user or timestamp column is uncertain, the raw table and the question come back instead.
 */
export async function readFileDataset(
  ctx: JobContext,
  source: FileSource,
  id: number,
  splitColumn: string | null,
): Promise<{ dataset: Dataset; handle: DatasetHandle } | { ask: MappingAsk }> {
  const tables = { raw: `raw_${id}`, events: `events_${id}_0` };
  const dialect = await timeLoadStep(LOAD_MEASURES.sniff, () => quickReadDialect(source));
  let quickFailure: string | null = null;
  if (dialect) {
    ctx.created.push(tables.events);
    // DuckDB reads the raw table once the worker has read the rows (quick-sql-side.ts).
    const early: { read: Promise<RawTable> | null } = { read: null };
    const startRaw = (names: string[]) => {
      if (ctx.readRawWhileSorting) early.read = startRawRead(ctx, source, id, { ...dialect, columns: names });
    };
    let handedOver = false;
    try {
      // A quick read that fails (rather than declines) is a bug in it: DuckDB reads the file, and the page says so.
      const read = await quickRead(ctx, tables.events, source.data, dialect, startRaw).catch((error: unknown) => ({
        ok: false as const,
        failed: engineMessage(error),
      }));
      ctx.signal.throwIfAborted();
      // A split rule on a column the quick read did not code needs DuckDB's raw table first.
      const splitReady = read.ok && (splitColumn === null || splitColumn === read.splitColumn || !read.columns.includes(splitColumn));
      if (read.ok && splitReady) {
        const dataset = quickDataset(id, source.name, tables, read);
        const regular = { ...dialect, columns: read.columns };
        // Not read yet: read when the SQL side starts. The handle waits for a read under way before dropping the table.
        const rawRead = { started: early.read };
        const handle = new DatasetHandle(
          { fileName: source.name, eventsTable: tables.events },
          ctx.engine,
          ctx.stats,
          ctx.ledger,
          [tables.events, tables.raw],
          (signal, created) => {
            rawRead.started ??= startRawRead(ctx, source, id, regular);
            return sqlSideOfQuickRead(ctx, source, dataset, rawRead.started, signal, created);
          },
          () => rawRead.started,
        );
        handedOver = true;
        return { dataset, handle };
      }
      if ('failed' in read && read.failed !== undefined) quickFailure = read.failed;
    } finally {
      // Not taken (declined, failed or abandoned): the raw table read for it goes, once DuckDB is done with it.
      if (!handedOver && early.read) {
        await early.read.catch(() => null);
        await ctx.engine.exec(dropTableSql(tables.raw));
      }
    }
  }
  const raw = await timeLoadStep(LOAD_MEASURES.duckdbRead, () => readRawTable(ctx.engine, source, id, ctx.ingestRows));
  ctx.created.push(raw.table);
  ctx.signal.throwIfAborted();
  ctx.progress(`Finding the user and timestamp columns of ${source.name}…`);
  const detected = await timeLoadStep(LOAD_MEASURES.detect, () => detectRawMapping(ctx.engine, raw));
  ctx.signal.throwIfAborted();
  const notes = quickFailure ? [`The quick first reading of this file failed (${quickFailure}); DuckDB read it instead. Please report this.`] : [];
  if (detected.uncertain.length > 0) {
    const question = await mappingQuestion(ctx.engine, raw, detected);
    ctx.signal.throwIfAborted();
    return { ask: { question, raw, profiles: detected.profiles, notes } };
  }
  return datasetFromRaw(ctx, raw, detected, notes, tables.events);
}

/** What a load asks instead of loading: the question, and the raw table read for the answer. */
export interface MappingAsk {
  question: MappingQuestion;
  raw: RawTable;
  profiles: ColumnProfile[];
  /** Notes about the read beyond the raw table's own (kept for the dataset the answer makes). */
  notes: string[];
}

/** The dataset of a raw table and its mapping: the events built, the stats worker given them. */
export async function datasetFromRaw(
  ctx: JobContext,
  raw: RawTable,
  detected: DetectedMapping,
  notes: string[],
  eventsTable: string,
): Promise<{ dataset: Dataset; handle: DatasetHandle }> {
  ctx.progress(`Sorting ${raw.rowsRead.toLocaleString('en-US')} rows by user and time…`);
  const events = await timeLoadStep(LOAD_MEASURES.duckdbEvents, () => buildEvents(ctx.engine, raw, detected.mapping, eventsTable));
  ctx.created.push(events.table);
  const files = [
    { name: raw.fileName, firstRowid: 0, rows: raw.rowsRead - raw.rejected, rowsRead: raw.rowsRead, rejected: raw.rejected, duplicatesDropped: 0 },
  ];
  const dataset: Dataset = { raw, events, notes: [...raw.notes, ...detected.notes, ...notes], profiles: detected.profiles, files, lastAppend: null };
  return withWorkerColumns(ctx, dataset, { raw, profiles: Promise.resolve(detected.profiles) });
}

/**
 * A dataset whose events DuckDB built (a file only DuckDB reads, a mapping change, an
 * append): the stats worker takes its columns over, and each file's events and skipped rows
 * are counted (file-counts.ts).
 */
export async function withWorkerColumns(ctx: JobContext, dataset: Dataset, side: SqlSide): Promise<{ dataset: Dataset; handle: DatasetHandle }> {
  ctx.signal.throwIfAborted();
  // The stats worker decodes the columns while DuckDB counts each file's rows: side by side.
  const columnsLoaded = loadWorkerColumns(ctx, dataset.events);
  columnsLoaded.catch(() => {});
  const counted = countFileRows(ctx.engine, dataset);
  counted.catch(() => {});
  const files = await timeLoadStep(LOAD_MEASURES.toWorker, async () => {
    await columnsLoaded;
    return counted;
  });
  const names = [side.raw.table, dataset.events.table];
  const handle = new DatasetHandle({ fileName: dataset.raw.fileName, eventsTable: dataset.events.table }, ctx.engine, ctx.stats, ctx.ledger, names, side);
  return { dataset: { ...dataset, files }, handle };
}

/**
 * Hands the events table's columns to the stats worker. Resolves once the worker holds
 * them; DuckDB is free as soon as the last column is read, while the worker decodes.
 */
async function loadWorkerColumns(ctx: JobContext, events: EventsTable): Promise<void> {
  const { table } = events;
  ctx.created.push(table);
  const loaded = [ctx.stats.load(table, await ctx.engine.queryIpc(gapColumnsSql(table)), events.figures.users)];
  loaded[0]?.catch(() => {});
  if (events.mapping.url) loaded.push(ctx.stats.loadUrlColumn(table, await dictionaryColumnIpc(ctx.engine, urlColumnSql(table))));
  await Promise.all(loaded);
}

/**
 * The stats engine's quick read of a file, its columns held under `key`: a big file in two
 * halves at once, the second by the helper engine (DuckDB waits: both cores are busy).
 * `rowsRead` is told the header's names once the rows are read, before they are sorted.
 */
async function quickRead(
  ctx: PipelineDeps,
  key: string,
  data: Blob | Uint8Array,
  dialect: { delimiter: string; quote: string },
  rowsRead: (names: string[]) => void,
): Promise<QuickLoad> {
  const { stats, quickHelper: helper } = ctx;
  const readStarted = performance.now();
  const plan = await stats.quickPlan(key, data, dialect, helper !== undefined);
  if (!plan.ok) return plan;
  try {
    const spec = helper ? plan.part : null;
    const part = spec && helper ? helper.quickPart(data, spec) : null;
    part?.catch(() => {});
    const scanned = await stats.quickScan(key, part !== null);
    const second = await part;
    measureLoadStep(LOAD_MEASURES.quickRead, readStarted);
    const declined = !scanned.ok ? scanned : second && !second.ok ? second : null;
    if (declined) {
      await stats.release(key);
      return declined;
    }
    rowsRead(plan.names);
    return await timeLoadStep(LOAD_MEASURES.quickJoin, () => stats.quickJoin(key, second?.ok ? second.part : null));
  } catch (error) {
    // The planned read holds the file's bytes in the stats engine: free them, the error goes on.
    await stats.release(key);
    throw error;
  }
}

/** The dataset the quick read describes, under the table names DuckDB's side will use. */
function quickDataset(id: number, fileName: string, tables: { raw: string; events: string }, quick: QuickLoaded): Dataset {
  const { figures, mapping, columns } = quick;
  const notes = quick.zonelessShare > 0 ? [zonelessNote(quick.zonelessShare, figures.events)] : [];
  const read: LoadedFile = { name: fileName, firstRowid: 0, rows: figures.rowsRead, rowsRead: figures.rowsRead, rejected: 0, duplicatesDropped: 0 };
  const file = checkedFile(read, figures.events, quick.skipped.byReason);
  return {
    raw: { id, fileName, table: tables.raw, columns, rowsRead: figures.rowsRead, rejected: 0, rejectedExamples: [], notes: [] },
    events: { table: tables.events, mapping, figures, skippedByReason: quick.skipped.byReason, skippedExamples: quick.skipped.examples, notes },
    notes: [],
    profiles: [],
    files: [file],
    lastAppend: null,
  };
}
