import type { Engine } from '../engine/engine';
import { SKIP_REASONS, type SkippedCount, type SkipReason } from '../domain/types';
import { checkRowsAddUp, skippedByReason, skippedTotal } from '../domain/rows-add-up';
import { fileEventCountsSql, fileRowCountsSql } from '../sql/events-sql';
import { LoadError } from './load-errors';
import type { Dataset, LoadedFile } from './types';

/*
 * Every row accounted for, file by file (README): a file's rows read (its reader's count, less
 * the rows left out as already loaded) = its events + its skipped rows, each counted apart over
 * the file's row range: events in the events table, skipped rows by reason in the raw table,
 * and the lines its reader set aside as malformed.
 */

/** The file with its counted events and skipped rows; a LoadError naming it when they do not add up. */
export function checkedFile(file: LoadedFile, events: number, byReason: SkippedCount[]): LoadedFile {
  const problem = checkRowsAddUp({ rowsRead: file.rowsRead, events, skipped: skippedTotal(byReason) }, byReason);
  if (problem) throw new LoadError(file.name, `${problem}. Please report this.`);
  return { ...file, events, skippedByReason: byReason };
}

/**
 * Counts each file's events and skipped rows in the dataset's tables, and checks them. A single
 * file's rows are the whole raw table: its skipped rows are the dataset's, counted already
 * when its events were built, so the raw table is not read again for them.
 */
export async function countFileRows(engine: Engine, dataset: Dataset): Promise<LoadedFile[]> {
  const { raw, events, files } = dataset;
  const single = files.length === 1;
  const spec = { rawTable: raw.table, columns: raw.columns, mapping: events.mapping };
  const sql = single ? fileEventCountsSql(events.table, files) : fileRowCountsSql(spec, events.table, files);
  const [counts] = await engine.query<Record<string, number>>(sql);
  const count = (column: string) => counts?.[column] ?? 0;
  const datasetCount = (reason: SkipReason) => events.skippedByReason.find((r) => r.reason === reason)?.count ?? 0;
  return files.map((f, i) => {
    const counted = Object.fromEntries(SKIP_REASONS.map((r) => [r, single ? datasetCount(r) : count(`f${i} ${r}`)])) as Record<SkipReason, number>;
    return checkedFile(f, count(`f${i}`), skippedByReason(f.rejected, counted));
  });
}
