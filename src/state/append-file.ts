import type { Engine } from '../engine/engine';
import type { RowIngest } from '../ingest/row-ingest';
import type { ColumnMapping } from '../domain/types';
import type { SessionRules } from '../domain/rules';
import type { StatsEngine } from '../stats/stats-engine';
import { minutesToUs } from '../domain/threshold';
import { dropTableSql, rowCountSql } from '../sql/read-sql';
import {
  changedSessionExamplesSql,
  changedSessionsSql,
  duplicateRowsSql,
  notDuplicateSql,
  sessionChangesSql,
  unionRawSql,
  withAddedColumnsSql,
  withoutRowsSql,
  type AddedColumn,
} from '../sql/append-sql';
import type { SessionChanges } from '../domain/types';
import { buildEvents } from './build-events';
import { detectRawMapping } from './detect-mapping';
import { listColumns, LoadError } from './load-errors';
import type { FileSource, RawTable } from './raw-table';
import { readRawTable } from './read-raw-table';
import type { Dataset, LoadedFile } from './types';

/*
 * Appending a late file to the loaded dataset, and removing one again. The raw table
 * becomes the union of the files' rows, in file order, so an event keeps its row number
 * (and session numbers can be compared before and after); the events table is rebuilt
 * from it, a sort of all events (DuckDB-WASM has no cheaper way to insert into sorted order).
 */

/** Changed sessions listed in the append summary. */
const CHANGED_EXAMPLES = 10;

const mappedColumns = (m: ColumnMapping) => [m.user, m.timestamp, m.time, m.url].filter((c) => c !== '');

/**
 * The appended file's raw table, with the dataset's mapped column names: where its header
 * differs, the columns detected in it are added under the dataset's names.
 */
async function alignColumns(engine: Engine, raw: RawTable, mapping: ColumnMapping, target: string): Promise<RawTable> {
  const missing = mappedColumns(mapping).filter((c) => !raw.columns.includes(c));
  if (missing.length === 0) return raw;
  const detected = await detectRawMapping(engine, raw).catch(() => null);
  const roles: [keyof ColumnMapping, string][] = [
    ['user', mapping.user],
    ['timestamp', mapping.timestamp],
    ['time', mapping.time],
    ['url', mapping.url],
  ];
  const added: AddedColumn[] = [];
  for (const [role, name] of roles) {
    const source = detected?.mapping[role];
    if (!name || raw.columns.includes(name)) continue;
    if (typeof source !== 'string' || source === '') {
      throw new LoadError(
        raw.fileName,
        `has no column "${name}" and none that reads as its ${role} (its columns: ${listColumns(raw.columns)}). Rename its header to match the loaded file.`,
      );
    }
    added.push({ from: source, as: name });
  }
  await engine.exec(withAddedColumnsSql(target, raw, added));
  return { ...raw, table: target, columns: [...raw.columns, ...added.map((c) => c.as)] };
}

export interface AppendInput {
  engine: Engine;
  ingestRows: RowIngest;
  current: Dataset;
  source: FileSource;
  id: number;
  dedupe: boolean;
  created: string[];
}

/** Reads the file and builds the dataset with its rows added (not yet the figures or the diff). */
export async function appendedDataset({
  engine,
  ingestRows,
  current,
  source,
  id,
  dedupe,
  created,
}: AppendInput): Promise<{ dataset: Dataset; duplicates: number }> {
  const mapping = current.events.mapping;
  const read = await readRawTable(engine, source, id, ingestRows);
  created.push(read.table);
  const appended = await alignColumns(engine, read, mapping, `${read.table}_aligned`);
  if (appended.table !== read.table) created.push(appended.table);
  const key = mappedColumns(mapping);
  const [dup] = await engine.query<{ duplicates: number; total: number }>(duplicateRowsSql(current.raw.table, appended.table, key));
  const duplicates = dup?.duplicates ?? 0;
  if (dup && dup.total > 0 && duplicates === dup.total) {
    throw new LoadError(
      source.name,
      `every one of its ${dup.total.toLocaleString('en-US')} rows is already loaded (same ${key.map((c) => `"${c}"`).join(', ')}): was it added before? Nothing was added.`,
    );
  }
  const union = `raw_${id}_union`;
  created.push(union);
  const columns = [...current.raw.columns, ...appended.columns.filter((c) => !current.raw.columns.includes(c))];
  await engine.exec(
    unionRawSql(union, current.raw, appended, columns, dedupe && duplicates > 0 ? notDuplicateSql(current.raw.table, appended.table, key) : null),
  );
  const previousRows = current.files.reduce((n, f) => n + f.rows, 0);
  const [count] = await engine.query<{ count: number }>(rowCountSql(union));
  const addedRows = (count?.count ?? previousRows) - previousRows;
  const dropped = dedupe ? duplicates : 0;
  const file: LoadedFile = {
    name: source.name,
    firstRowid: previousRows,
    rows: addedRows,
    rowsRead: appended.rowsRead - dropped,
    rejected: appended.rejected,
    duplicatesDropped: dropped,
  };
  const raw: RawTable = {
    // Rows of several files share the table now: examples are named by file and row.
    ...current.raw,
    id,
    table: union,
    columns,
    rowLines: undefined,
    regularFile: undefined,
    rowsRead: current.raw.rowsRead + file.rowsRead,
    rejected: current.raw.rejected + appended.rejected,
    rejectedExamples: [...current.raw.rejectedExamples, ...appended.rejectedExamples.map((r) => ({ ...r, message: `${source.name}: ${r.message}` }))],
    notes: [...current.raw.notes, ...appended.notes.map((n) => `${source.name}: ${n}`)],
  };
  const events = await buildEvents(engine, raw, mapping, `events_${id}_0`);
  created.push(events.table);
  const notes =
    duplicates > 0
      ? [
          ...current.notes,
          `${source.name}: ${duplicates.toLocaleString('en-US')} of its rows were already loaded; ${dedupe ? 'they were left out' : 'they were added again (tick "skip rows already loaded" to leave them out)'}.`,
        ]
      : current.notes;
  return { dataset: { ...current, raw, events, notes, files: [...current.files, file], lastAppend: null }, duplicates };
}

/** Compares the sessions before and after the append; keeps the changed sessions in a table. */
export async function describeAppend(
  engine: Engine,
  stats: StatsEngine,
  before: Dataset,
  after: Dataset,
  fileName: string,
  duplicates: number,
  gapMinutes: number,
  rules: SessionRules,
  id: number,
  created: string[],
): Promise<Dataset> {
  const thresholdUs = minutesToUs(gapMinutes);
  const numbersBefore = `numbers_before_${id}`;
  const numbersAfter = `numbers_after_${id}`;
  const changedTable = `changed_sessions_${id}`;
  created.push(numbersBefore, numbersAfter);
  await engine.insertArrowIpc(numbersBefore, await stats.sessionNumbersIpc(before.events.table, thresholdUs, rules), true);
  await engine.insertArrowIpc(numbersAfter, await stats.sessionNumbersIpc(after.events.table, thresholdUs, rules), true);
  const firstNewRow = (after.files.at(-1)?.firstRowid ?? 0) + 1;
  const args = [before.events.table, numbersBefore, after.events.table, numbersAfter, firstNewRow] as const;
  const [changes] = await engine.query<SessionChanges>(sessionChangesSql(...args));
  await engine.exec(changedSessionsSql(changedTable, ...args));
  const examples = await engine.query<{ user_id: string; session_number: number; change: string }>(changedSessionExamplesSql(changedTable, CHANGED_EXAMPLES));
  await engine.exec(`${dropTableSql(numbersBefore)}; ${dropTableSql(numbersAfter)}`);
  if (!changes) throw new LoadError(fileName, 'the session changes could not be computed.');
  return { ...after, lastAppend: { fileName, changes, duplicates, changedTable, examples, gapMinutes } };
}

/** The dataset without one of its files (the last file cannot be removed: load another instead). */
export async function datasetWithoutFile(engine: Engine, current: Dataset, index: number, id: number, created: string[]): Promise<Dataset> {
  const file = current.files[index];
  if (!file || current.files.length < 2) throw new LoadError(file?.name ?? 'file', 'is the only file loaded; load another file instead of removing it.');
  const table = `raw_${id}_without`;
  created.push(table);
  await engine.exec(withoutRowsSql(table, current.raw, file.firstRowid, file.firstRowid + file.rows - 1));
  // The files after the removed one move up: each starts where the ones before it end.
  let firstRowid = 0;
  const files: LoadedFile[] = [];
  for (const f of current.files.filter((_, i) => i !== index)) {
    files.push({ ...f, firstRowid });
    firstRowid += f.rows;
  }
  const raw: RawTable = {
    ...current.raw,
    id,
    table,
    rowLines: undefined,
    regularFile: undefined,
    rowsRead: current.raw.rowsRead - file.rowsRead,
    rejected: current.raw.rejected - file.rejected,
    rejectedExamples: current.raw.rejectedExamples.filter((r) => !r.message.startsWith(`${file.name}: `)),
  };
  const events = await buildEvents(engine, raw, current.events.mapping, `events_${id}_0`);
  created.push(events.table);
  return { ...current, raw, events, files, lastAppend: null };
}
