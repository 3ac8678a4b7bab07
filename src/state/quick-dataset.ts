import type { Engine } from '../engine/engine';
import { QUICK_READ_MAX_BYTES } from '../ingest/quick-read';
import { eventsChecksumSql } from '../sql/events-sql';
import type { QuickLoad } from '../stats/stats-engine';
import type { Dataset } from './app-store';
import { sniffSource, zonelessNote, type FileSource } from './dataset-loader';

/*
 * The quick first read (src/ingest/quick-read.ts) lets the page show a clean CSV file's
 * figures before DuckDB has read it: the stats worker reads the file itself while DuckDB
 * builds the tables that exports, timelines and the lateness analysis query. The dataset
 * shown meanwhile is "provisional": it already carries the names DuckDB's tables will have,
 * and once they exist the store checks that DuckDB read the file the same way (this module)
 * before the provisional dataset gives way to DuckDB's.
 */

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

/** The dataset the quick read describes, under the table names DuckDB's load will use. */
export function provisionalDataset(id: number, fileName: string, tables: { raw: string; events: string }, quick: QuickLoaded): Dataset {
  const { figures, mapping, columns } = quick;
  const notes = quick.zonelessShare > 0 ? [zonelessNote(quick.zonelessShare, figures.events)] : [];
  return {
    raw: { id, fileName, table: tables.raw, columns, rowsRead: figures.rowsRead, rejected: 0, rejectedExamples: [], notes: [] },
    events: { table: tables.events, mapping, figures, skippedByReason: quick.skipped.byReason, skippedExamples: quick.skipped.examples, notes },
    notes: [],
    profiles: [],
    files: [{ name: fileName, firstRowid: 0, rows: figures.rowsRead, rowsRead: figures.rowsRead, rejected: 0, duplicatesDropped: 0, events: figures.events }],
    lastAppend: null,
  };
}

/**
 * How DuckDB's reading of the file differs from the quick read's, or null when it does not:
 * same columns, mapping and figures, nothing set aside, every event's (row, time, gap) the
 * same (by checksum), and as many events with a url and distinct urls. Not compared at run
 * time: which url each event has and the campaign column's values (the property tests do).
 */
export async function provisionalMismatch(
  engine: Engine, shown: Dataset, built: Dataset, quick: Pick<QuickLoaded, 'checksum' | 'urls'>,
): Promise<string | null> {
  const sameColumns = built.raw.columns.length === shown.raw.columns.length && built.raw.columns.every((c, i) => c === shown.raw.columns[i]);
  if (!sameColumns) return 'columns';
  if (!sameFields(built.events.mapping, shown.events.mapping)) return 'column mapping';
  if (built.raw.rejected > 0 || !sameFields(built.events.figures, shown.events.figures)) return 'figures';
  const [row] = await engine.query<{ checksum: number; urlEvents: number; distinctUrls: number }>(eventsChecksumSql(built.events.table));
  if (row?.checksum !== quick.checksum) return 'events';
  // The urls the entry and exit pages come from: as many events with one, as many distinct.
  if (quick.urls && (row.urlEvents !== quick.urls.events || row.distinctUrls !== quick.urls.distinct)) return 'urls';
  return null;
}

function sameFields<T extends object>(a: T, b: T): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof T>;
  return [...keys].every((k) => a[k] === b[k]);
}
