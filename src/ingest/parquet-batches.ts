import { parquetMetadataAsync, parquetReadObjects, parquetSchema, type Compressors, type FileMetaData, type SchemaTree } from 'hyparquet';
import { compressors as allCodecs } from 'hyparquet-compressors';
import { MAX_COLUMNS } from '../domain/sniff-file';
import { asyncBufferFromFile } from './async-buffer';
import { parquetCellText, parquetParsers, typedText, type TypedText } from './parquet-text';
import { BATCH_ROWS, type RowBatch } from './row-batches';

/*
 * Parquet row groups as batches of text columns, in the ingest worker. Every codec of the
 * format is read (hyparquet-compressors). A file is checked against its own footer and
 * against bounds before and while it is read, so a hostile or broken file ends in a
 * message naming what is wrong instead of invented rows, an endless loop or a crashed tab.
 */

export interface ParquetLimits {
  /** Most rows a file may declare: more cannot fit in the page's DuckDB whatever they hold. */
  maxRows: number;
  /** Most text the columns may expand to (a dictionary repeats one value on every row). */
  maxTextChars: number;
  /** Most bytes one page may declare once decompressed. */
  maxPageBytes: number;
}

export const PARQUET_LIMITS: ParquetLimits = {
  maxRows: 200_000_000,
  // About what a 750 MB CSV holds: the most the page loads (README "Limits").
  maxTextChars: 768 * 1024 ** 2,
  maxPageBytes: 512 * 1024 ** 2,
};

const count = (n: number | bigint) => n.toLocaleString('en-US');
const megabytes = (chars: number) => `${count(Math.ceil(chars / 1024 ** 2))} MB`;

/** The decompressors, each refusing a page that declares more than the limit (a decompression bomb). */
function boundedCodecs(maxPageBytes: number): Compressors {
  const bounded: Compressors = {};
  for (const [codec, decompress] of Object.entries(allCodecs) as [keyof Compressors, NonNullable<Compressors[keyof Compressors]>][]) {
    bounded[codec] = (input, outputLength) => {
      if (outputLength > maxPageBytes) {
        throw new Error(`a ${codec} page declares ${megabytes(outputLength)} once decompressed, more than the ${megabytes(maxPageBytes)} a page may hold`);
      }
      return decompress(input, outputLength);
    };
  }
  return bounded;
}

function leafCount(node: SchemaTree): number {
  return node.children.length === 0 ? 1 : node.children.reduce((sum, child) => sum + leafCount(child), 0);
}

/** Refuses a footer that contradicts itself or declares more than the page can hold, before any page is read. */
export function checkFooter(metadata: FileMetaData, limits: ParquetLimits): void {
  const schema = parquetSchema(metadata);
  const leaves = leafCount(schema);
  if (schema.children.length > MAX_COLUMNS || leaves > MAX_COLUMNS) {
    const nested = leaves > schema.children.length ? ` (${count(leaves)} counting the fields inside nested columns)` : '';
    throw new Error(`it has ${count(schema.children.length)} columns${nested}; at most ${count(MAX_COLUMNS)} columns can be loaded in the browser`);
  }
  const declared = BigInt(metadata.num_rows);
  if (declared > BigInt(limits.maxRows)) {
    throw new Error(`its footer declares ${count(declared)} rows, more than the ${count(limits.maxRows)} the page can hold`);
  }
  const inGroups = metadata.row_groups.reduce((sum, group) => sum + BigInt(group.num_rows), 0n);
  if (inGroups !== declared) {
    throw new Error(`the file is inconsistent: its footer declares ${count(declared)} rows but its row groups hold ${count(inGroups)}`);
  }
  metadata.row_groups.forEach((group, g) => {
    for (const chunk of group.columns) {
      const path = chunk.meta_data?.path_in_schema ?? [];
      const flat = path.length === 1 && schema.children.some((c) => c.element.name === path[0] && c.children.length === 0);
      // A flat column has one value (or null) a row; nested ones may have more or fewer.
      if (flat && chunk.meta_data && BigInt(chunk.meta_data.num_values) !== BigInt(group.num_rows)) {
        throw new Error(
          `the file is inconsistent: row group ${g + 1} declares ${count(group.num_rows)} rows but its column "${path[0]}" holds ${count(chunk.meta_data.num_values)} values`,
        );
      }
    }
  });
}

/** Counts the text each column expands to and stops before the total passes the limit. */
class TextBudget {
  private perColumn = new Map<string, number>();
  private total = 0;
  constructor(
    private readonly limit: number,
    private readonly fileBytes: number,
  ) {}

  take(batch: RowBatch): void {
    batch.columns.forEach((name, c) => {
      let chars = 0;
      for (const cell of batch.cells[c] ?? []) if (cell !== null) chars += cell.length;
      this.perColumn.set(name, (this.perColumn.get(name) ?? 0) + chars);
      this.total += chars;
    });
    if (this.total <= this.limit) return;
    const [column, chars] = [...this.perColumn].reduce((a, b) => (b[1] > a[1] ? b : a));
    throw new Error(
      `its values expand to more than ${megabytes(this.limit)} of text (column "${column}" alone to ${megabytes(chars)}, from a file of ${count(this.fileBytes)} bytes: a dictionary repeats its values on every row), more than the page can hold`,
    );
  }
}

/** Parquet row groups as text batches (see parquet-text.ts for the text each type becomes). */
export async function* parquetBatches(blob: Blob, limits: ParquetLimits = PARQUET_LIMITS): AsyncGenerator<RowBatch> {
  const file = asyncBufferFromFile(blob);
  const metadata = await parquetMetadataAsync(file);
  checkFooter(metadata, limits);
  const columns = parquetSchema(metadata).children;
  const texts = new Map<string, TypedText>(columns.map((c) => [c.element.name, typedText(c.element)]));
  const names = columns.map((c) => c.element.name);
  const flat = columns.map((c) => c.children.length === 0);
  const compressors = boundedCodecs(limits.maxPageBytes);
  const budget = new TextBudget(limits.maxTextChars, blob.size);
  const total = Number(metadata.num_rows);
  for (let rowStart = 0; rowStart < total; rowStart += BATCH_ROWS) {
    const rowEnd = Math.min(rowStart + BATCH_ROWS, total);
    const records = await parquetReadObjects({ file, metadata, rowStart, rowEnd, parsers: parquetParsers, compressors });
    if (records.length !== rowEnd - rowStart) {
      throw new Error(`the file is inconsistent: rows ${count(rowStart + 1)} to ${count(rowEnd)} were asked for and ${count(records.length)} came back`);
    }
    const cells = names.map(() => new Array<string | null>(records.length));
    records.forEach((record, i) => {
      // Past the end of a flat column's data hyparquet gives undefined (its nulls are null;
      // a nested column's may be undefined): the footer promised rows the pages do not hold.
      names.forEach((name, c) => {
        if (record[name] === undefined && flat[c]) {
          throw new Error(
            `the file is inconsistent: its footer declares ${count(total)} rows but column "${name}" holds no value from row ${count(rowStart + i + 1)} on`,
          );
        }
        (cells[c] as (string | null)[])[i] = parquetCellText(record[name], texts.get(name));
      });
    });
    const batch: RowBatch = { columns: names, cells, rows: records.length, rejected: [] };
    budget.take(batch);
    yield batch;
  }
}
