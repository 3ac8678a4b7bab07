import { quoteIdent } from './quote';

/*
 * A raw table's rows are numbered by DuckDB's rowid (0-based, in file order), which costs
 * nothing: no column is stored. A file column named rowid (in any case: DuckDB resolves
 * names ignoring case) hides that pseudo-column, so such a raw table, and only such a one,
 * carries the number in a column of its own, under a name no file column has. Every
 * statement that reads or copies a raw table takes the row number and the file's columns
 * from here; a copy numbers its rows again (numberRowsSql), as rowid would.
 */

const fold = (name: string): string => name.toLowerCase();

/** `base`, or `base_2`, `base_3`, …: the first that is none of `taken` (ignoring case). */
export function freshName(base: string, taken: readonly string[]): string {
  const used = new Set(taken.map(fold));
  let name = base;
  for (let n = 2; used.has(fold(name)); n += 1) name = `${base}_${n}`;
  return name;
}

/** The column holding the row number when a file column hides rowid; null for every other file. */
export function rowidColumn(columns: readonly string[]): string | null {
  return columns.some((c) => fold(c) === 'rowid') ? freshName('__row_index', columns) : null;
}

/** The 0-based row number of a raw table with these file columns, optionally of a table alias. */
export function rowidSql(columns: readonly string[], alias?: string): string {
  const column = rowidColumn(columns);
  const name = column === null ? 'rowid' : quoteIdent(column);
  return alias ? `${alias}.${name}` : name;
}

/** True for the rows of a raw table with these 0-based row numbers (at least one). */
export function rowidInSql(columns: readonly string[], rowids: readonly number[]): string {
  return `${rowidSql(columns)} IN (${rowids.map((r) => Math.floor(r)).join(', ')})`;
}

/** The rows of a raw table with these 0-based row numbers (at least one), every column, and the number as `__rowid`. */
export function rowsByRowidSql(table: string, columns: readonly string[], rowids: readonly number[]): string {
  return `SELECT *, ${rowidSql(columns)}::DOUBLE AS __rowid FROM ${quoteIdent(table)} WHERE ${rowidInSql(columns, rowids)}`;
}

/** The file's columns of a raw table, for a copy (the row number column is numbered anew). */
export function fileColumnsSql(columns: readonly string[]): string {
  const column = rowidColumn(columns);
  return column === null ? '*' : `* EXCLUDE (${quoteIdent(column)})`;
}

/**
 * Statements that give a freshly written raw table (rows in file order, no row number column)
 * its row number column, when a file column hides rowid; [] otherwise. The hiding column is
 * renamed for a moment so that rowid can be read: catalog changes and one UPDATE.
 */
export function numberRowsSql(table: string, columns: readonly string[]): string[] {
  const column = rowidColumn(columns);
  const hiding = columns.find((c) => fold(c) === 'rowid');
  if (column === null || hiding === undefined) return [];
  const aside = freshName('__rowid_aside', [...columns, column]);
  const t = quoteIdent(table);
  return [
    `ALTER TABLE ${t} RENAME COLUMN ${quoteIdent(hiding)} TO ${quoteIdent(aside)}`,
    `ALTER TABLE ${t} ADD COLUMN ${quoteIdent(column)} BIGINT`,
    `UPDATE ${t} SET ${quoteIdent(column)} = rowid`,
    `ALTER TABLE ${t} RENAME COLUMN ${quoteIdent(aside)} TO ${quoteIdent(hiding)}`,
  ];
}

/** The file's columns of a raw table as DuckDB lists them: without the row number column. */
export function withoutRowidColumn(listed: readonly string[]): string[] {
  // The row number column is the last one and its name depends on the file's columns only.
  const last = listed.at(-1);
  const files = listed.slice(0, -1);
  return last !== undefined && last === rowidColumn(files) ? files : [...listed];
}
