import type { Engine } from '../engine/engine';
import type { RowIngest } from '../ingest/row-ingest';
import type { StatsEngine } from '../stats/stats-engine';
import type { ParquetWriter } from './exports';
import type { FileSource } from './raw-table';
import type { Preview } from './types';

/** What the store is made with: the page passes workers, tests in-process engines. */
export interface StoreDeps {
  engine: Promise<Engine>;
  ingestRows: RowIngest;
  previewOf?: (source: FileSource) => Promise<Preview | null>;
  /** Defaults to writing in the calling thread (tests); the page passes a worker. */
  writeParquet?: ParquetWriter;
  /** Threshold figures from typed arrays; in-process by default, a worker in the page. */
  stats?: StatsEngine;
  /** A second engine (worker) that reads a big file's second half while `stats` reads the first. */
  quickHelper?: StatsEngine;
  keepOrderedEventsMaxRows?: number;
  /**
   * The SQL side of a file shown from its quick read (the handover and checks; DuckDB reads the
   * raw table meanwhile: quick-sql-side.ts) waits until the page says it is painted (datasetPainted).
   */
  sqlAfterPaint?: boolean;
  /**
   * DuckDB reads a quick-read file's raw table as soon as the stats worker has read its rows,
   * while the worker sorts them (quick-sql-side.ts), rather than after the paint: for a machine
   * with a core to spare. Off by default: on 2 busy cores it slowed the first figures.
   */
  readRawWhileSorting?: boolean;
}
