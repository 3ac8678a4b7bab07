/*
 * The events export is the file's columns, then the two computed ones. A file column with
 * the name of a computed one (many exports carry their own session_id) keeps its values
 * under another header, chosen by the one rule below, which the CSV and Parquet exports and
 * every SQL dialect share.
 */

/** The columns the events export adds after the file's own, in order. */
export const SESSION_COLUMNS = ['session_id', 'session_number'] as const;

/** Names compared as DuckDB, Spark and BigQuery compare identifiers: ignoring case. */
const fold = (name: string): string => name.toLowerCase();

/**
 * The header of each file column in the events export, in file order. A column whose name is
 * `session_id` or `session_number` (ignoring case) becomes `<name>_original`; where that name
 * is taken (by a file column, a computed column or an earlier renaming, ignoring case),
 * `<name>_original_2`, `_3`, … Every other column keeps its name.
 */
export function exportedColumnNames(columns: readonly string[]): string[] {
  const computed = new Set<string>(SESSION_COLUMNS);
  const taken = new Set([...columns.map(fold), ...computed]);
  return columns.map((column) => {
    if (!computed.has(fold(column))) return column;
    let candidate = `${column}_original`;
    for (let n = 2; taken.has(fold(candidate)); n += 1) candidate = `${column}_original_${n}`;
    taken.add(fold(candidate));
    return candidate;
  });
}

export interface RenamedColumn {
  column: string;
  exportedAs: string;
}

/** The file columns the events export renames (empty for almost every file). */
export function renamedExportColumns(columns: readonly string[]): RenamedColumn[] {
  const names = exportedColumnNames(columns);
  return columns.flatMap((column, i) => {
    const exportedAs = names[i] ?? column;
    return exportedAs === column ? [] : [{ column, exportedAs }];
  });
}

/** The page's sentence for one renaming. */
export function renamedColumnNote({ column, exportedAs }: RenamedColumn): string {
  return `The file's own column "${column}" is exported as "${exportedAs}".`;
}
