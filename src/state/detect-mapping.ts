import type { Engine } from '../engine/engine';
import { detectMapping } from '../domain/detect-columns';
import type { ColumnMapping, ColumnProfile } from '../domain/types';
import { columnProfileSql, profiledColumns } from '../sql/profile-sql';
import { listColumns, LoadError } from './load-errors';
import type { RawTable } from './raw-table';

/** The profiles of a raw table's columns (those profiledColumns picks), which mapping detection reads. */
export async function profileColumns(engine: Engine, raw: RawTable): Promise<ColumnProfile[]> {
  const columns = profiledColumns(raw.columns);
  type Row = Omit<ColumnProfile, 'column' | 'samples'> & { idx: number; col: string; s1: string | null; s2: string | null; s3: string | null };
  const rows = await engine.query<Row>(columnProfileSql(raw.table, columns));
  return rows.map(({ idx, col: _col, s1, s2, s3, ...rest }) => ({
    ...rest,
    column: columns[idx] ?? '',
    samples: [s1, s2, s3].filter((s): s is string => s !== null),
  }));
}

/** The detected mapping, or a LoadError saying which columns were found and what is missing. */
export async function detectRawMapping(engine: Engine, raw: RawTable): Promise<{ mapping: ColumnMapping; notes: string[]; profiles: ColumnProfile[] }> {
  const shown = listColumns(raw.columns);
  if (raw.columns.length < 2) {
    throw new LoadError(
      raw.fileName,
      `found a single column (${shown}); a clickstream needs at least a user id and a timestamp column. If the file has more columns, its delimiter or quoting could not be recognised.`,
    );
  }
  const profiles = await profileColumns(engine, raw);
  if (raw.suggestedMapping) return { mapping: raw.suggestedMapping, notes: [], profiles };
  const guess = detectMapping(profiles);
  if (!guess) {
    throw new LoadError(
      raw.fileName,
      `no column holds readable timestamps (columns: ${shown}). Expected ISO 8601 text such as 2024-05-01T10:00:00Z, day/month or month/day dates, or epoch seconds/milliseconds.`,
    );
  }
  const notes: string[] = [];
  const { vendor, mapping } = guess;
  if (vendor) {
    notes.push(
      `Recognised ${/^[AEIOU]/.test(vendor.vendor) ? 'an' : 'a'} ${vendor.vendor} export: user "${mapping.user}", timestamp "${mapping.timestamp}"${mapping.url ? `, page "${mapping.url}"` : ''} (${vendor.about}).`,
    );
  }
  if (!guess.userByName) {
    notes.push(
      `No column is named like a user id; "${guess.mapping.user}" was picked because its values repeat. Choose the right one under Columns if it is not.`,
    );
  }
  if (guess.timestamp.ambiguous) {
    notes.push(
      `Dates in "${guess.mapping.timestamp}" could be month/day or day/month (no day above 12 in the first rows); they are read as ${guess.mapping.format === 'mdy' ? 'month/day' : 'day/month'}. Change the format below if that is wrong.`,
    );
  }
  return { mapping: guess.mapping, notes, profiles };
}
