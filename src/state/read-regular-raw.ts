import type { Engine } from '../engine/engine';
import type { RowIngest } from '../ingest/row-ingest';
import { dropTableSql, readRegularCsvSql } from '../sql/read-sql';
import { numberRowsSql } from '../sql/rowid-sql';
import { compressedTablesSql } from '../sql/storage-sql';
import { rowCount, type FileSource, type RawTable } from './raw-table';
import { checkFits, COMPRESS_TABLES_FROM_BYTES, readRawTable } from './read-raw-table';

/*
 * The raw table of a file the quick read took (quick-read.ts: plainly regular, UTF-8, a
 * header of unique names, every line as wide as it). The general read (readRawTable) lets
 * read_csv sniff the dialect, keeps a rejects table, then checks what a sniffed read may get
 * wrong (cells still quoted, over-wide lines, repeated headers); the quick read has already
 * ruled each of those out for this file, so DuckDB is told the dialect and the names instead.
 * Measured in Node on the 1M bench file, fresh process each, on a busy machine: the read alone
 * 2.07-2.95 s of CPU against 2.43-3.24 s (medians 2.12 and 2.57); the load's SQL-side step
 * 2.6-3.8 s against 3.0-4.7 s (medians 3.3 and 3.8); at 10M, 21.1 s of CPU against 23.5 s.
 *
 * Making the raw table from the stats worker's bytes instead (Arrow IPC built in JS, then
 * insertArrowIpc) was measured too and is no faster: at 1M, inserting 1M rows of five text
 * columns took 1.7-3.4 s cold (1.1-1.3 s warm in 131k- or 32k-row batches, against a warm
 * read_csv's 0.55-0.64 s), before the 0.8-1.4 s of building the batches.
 */

/** The quick read's reading of the file: its dialect and header names. */
export interface RegularFile {
  delimiter: string;
  quote: string;
  columns: readonly string[];
}

/**
 * The raw table as readRawTable makes it, read with the quick read's dialect. Should DuckDB
 * fail on a line, or read no rows, the file is read the general way (which sets lines it cannot
 * split aside): the SQL side's count check then says the two readings differ, as before.
 */
export async function readRegularRawTable(engine: Engine, source: FileSource, id: number, regular: RegularFile, ingestRows: RowIngest): Promise<RawTable> {
  await checkFits(engine, source, 'delimited');
  if (source.size >= COMPRESS_TABLES_FROM_BYTES) await engine.exec(compressedTablesSql());
  const table = `raw_${id}`;
  const registered = `upload_${id}.csv`;
  const { delimiter, quote } = regular;
  const columns = [...regular.columns];
  let kept = 0;
  try {
    await engine.registerFile(registered, source.data);
    await engine.exec(readRegularCsvSql({ fileName: registered, rawTable: table, delimiter, quote, columns }));
    // A file column named rowid hides DuckDB's row number: the table gets its own (rowid-sql.ts).
    const numbering = numberRowsSql(table, columns);
    if (numbering.length > 0) await engine.exec(numbering.join('; '));
    kept = await rowCount(engine, table);
  } catch {
    await engine.exec(dropTableSql(table));
  } finally {
    await engine.dropFile(registered);
  }
  if (kept === 0) return readRawTable(engine, source, id, ingestRows, true);
  return {
    id,
    fileName: source.name,
    table,
    columns,
    rowsRead: kept,
    rejected: 0,
    rejectedExamples: [],
    notes: [],
    rowLines: { data: source.data, encoding: 'utf-8', delimiter, quote, skipLines: 0, header: true, notRows: [], rows: kept },
    regularFile: { data: source.data, delimiter, quote },
  };
}
