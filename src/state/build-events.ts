import type { Engine } from '../engine/engine';
import { SKIP_REASONS, type ColumnMapping, type DatasetFigures, type SkippedCount, type SkippedRow } from '../domain/types';
import { checkRowsAddUp, countedFigures, skippedByReason } from '../domain/rows-add-up';
import {
  createEventsTableSql,
  datasetFiguresSql,
  skippedExamplesSql,
  sortEventsTableSql,
  zonelessShareSql,
  SKIPPED_EXAMPLES,
  ZONE_SAMPLE_ROWS,
  type DatasetFiguresRow,
  type EventsSpec,
} from '../sql/events-sql';
import { dropTableSql, replaceTableSql } from '../sql/read-sql';
import { rowsByRowidSql } from '../sql/rowid-sql';
import { checkedLinesOfRows } from '../ingest/row-lines';
import { engineMessage, LoadError, outOfMemoryProblem } from './load-errors';
import type { RawTable } from './raw-table';

/*
 * The second step of a load: a raw table and a mapping into the events table (row, instant,
 * gap, user, url), with the figures counted apart and checked to add up, the skipped rows by
 * reason with examples (and their file lines where certain), and notes on time zones.
 */

export interface EventsTable {
  table: string;
  mapping: ColumnMapping;
  figures: DatasetFigures;
  /** Counted where each is met (see datasetFiguresSql); figures.skipped is their sum. */
  skippedByReason: SkippedCount[];
  skippedExamples: SkippedRow[];
  notes: string[];
}

export async function buildEvents(engine: Engine, raw: RawTable, mapping: ColumnMapping, table: string): Promise<EventsTable> {
  for (const column of [mapping.user, mapping.timestamp, mapping.time, mapping.url]) {
    if (column !== '' && !raw.columns.includes(column)) {
      throw new LoadError(raw.fileName, `has no column named "${column}".`);
    }
  }
  if (mapping.user === mapping.timestamp) {
    throw new LoadError(raw.fileName, 'the user column and the timestamp column must be different columns.');
  }
  const spec: EventsSpec = { rawTable: raw.table, columns: raw.columns, mapping };
  let counted: Omit<DatasetFiguresRow, 'misordered'>;
  try {
    await engine.exec(createEventsTableSql(spec, table));
    const [row] = await engine.query<DatasetFiguresRow>(datasetFiguresSql(spec, table));
    if (!row) throw new Error('the figures query returned no row');
    const { misordered, ...figures } = row;
    if (misordered > 0) {
      // Not seen with this DuckDB; should its window ever write users interleaved, sort.
      const sorted = `${table}_sorted`;
      await engine.exec(`${sortEventsTableSql(table, sorted)}; ${replaceTableSql(sorted, table)}`);
    }
    counted = figures;
  } catch (error) {
    await engine.exec(`${dropTableSql(`${table}_sorted`)}; ${dropTableSql(table)}`);
    const message = engineMessage(error);
    throw new LoadError(raw.fileName, `could not be sessionized: ${outOfMemoryProblem(message) ?? message}`);
  }
  return summarizeEvents(engine, raw, spec, table, counted);
}

async function summarizeEvents(
  engine: Engine,
  raw: RawTable,
  spec: EventsSpec,
  table: string,
  counted: Omit<DatasetFiguresRow, 'misordered'>,
): Promise<EventsTable> {
  const { mapping } = spec;
  const { events, users, firstEventUs, lastEventUs } = counted;
  const byReason = skippedByReason(raw.rejected, counted);
  // Three counts made apart: the reader's rows, the events table's rows, the skipped rows by reason.
  const figures: DatasetFigures = countedFigures({ rowsRead: raw.rowsRead, events, users, firstEventUs, lastEventUs }, byReason);
  const problem = checkRowsAddUp(figures, byReason);
  if (problem) {
    await engine.exec(dropTableSql(table));
    throw new LoadError(raw.fileName, `${problem}. Please report this.`);
  }
  // Only when some rows made no event is the raw table read again, for examples of them.
  const someSkipped = SKIP_REASONS.some((reason) => counted[reason] > 0);
  const examples = someSkipped ? await withFileLines(engine, raw, await engine.query<SkippedRow>(skippedExamplesSql(spec, SKIPPED_EXAMPLES))) : [];
  if (figures.events === 0) {
    await engine.exec(dropTableSql(table));
    const reasons = byReason.map((r) => `${r.count} ${r.reason}`).join(', ');
    const first = examples[0];
    const example = first
      ? ` First: ${first.line === undefined ? `data row ${first.row}` : `line ${first.line}`}, user ${JSON.stringify(first.user)}, timestamp ${JSON.stringify(first.timestamp)}.`
      : '';
    throw new LoadError(
      raw.fileName,
      `no row has both a user id in "${mapping.user}" and a readable timestamp in "${mapping.timestamp}" (${reasons}).${example}`,
    );
  }
  const notes: string[] = [];
  if (mapping.format === 'iso') {
    const [zoneless] = await engine.query<{ share: number }>(zonelessShareSql(spec));
    if (zoneless && zoneless.share > 0) notes.push(zonelessNote(zoneless.share, figures.events));
  } else if (mapping.format === 'dmy' || mapping.format === 'mdy') {
    notes.push("These dates carry no time zone: they are read as UTC, whatever this browser's time zone.");
  }
  return { table, mapping, figures, skippedByReason: byReason, skippedExamples: examples, notes };
}

/** The examples with the file line each starts on, where it is certain (see checkedLinesOfRows). */
async function withFileLines(engine: Engine, raw: RawTable, examples: SkippedRow[]): Promise<SkippedRow[]> {
  if (!raw.rowLines || examples.length === 0) return examples;
  const rowids = examples.map((r) => Math.floor(r.row) - 1);
  const rows = await engine.query<Record<string, unknown> & { __rowid: number }>(rowsByRowidSql(raw.table, raw.columns, rowids));
  const values = new Map(rows.map((r) => [r.__rowid + 1, raw.columns.map((c) => (r[c] === null || r[c] === undefined ? null : String(r[c])))]));
  const lines = await checkedLinesOfRows(raw.rowLines, values);
  return examples.map((r) => {
    const line = lines.get(r.row);
    return line === undefined ? r : { ...r, line };
  });
}

/** The note for ISO timestamps without a zone: `share` of the first ZONE_SAMPLE_ROWS of `events`. */
export function zonelessNote(share: number, events: number): string {
  const of = events > ZONE_SAMPLE_ROWS ? `of the first ${ZONE_SAMPLE_ROWS.toLocaleString('en-US')}` : 'of them';
  return `Timestamps without a time zone (${formatShare(share)} ${of}) are read as UTC, whatever this browser's time zone.`;
}

function formatShare(share: number): string {
  return share >= 0.995 ? 'all' : `${(share * 100).toFixed(1)}%`;
}
