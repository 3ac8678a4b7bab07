import { beforeAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { ByteWriter, ParquetWriter, parquetWriteBuffer } from 'hyparquet-writer';
import type { SchemaElement } from 'hyparquet';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { AppStore } from '../state/app-store';
import { MAX_COLUMNS } from '../domain/sniff-file';
import { inProcessIngest } from './row-ingest';
import { PARQUET_LIMITS, parquetBatches } from './parquet-batches';

/*
 * Hostile and broken Parquet files, written here by hyparquet-writer (a footer edited before
 * it is written where the file must lie). Each ends in a bounded, clear error naming the
 * file (and the column where there is one), and the dataset on screen stays.
 */

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});

const START = Date.UTC(2024, 4, 1, 10) * 1000;
const SCHEMA: SchemaElement[] = [
  { name: 'root', num_children: 3 },
  { name: 'user_id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  { name: 'ts', type: 'INT64', repetition_type: 'REQUIRED', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' } },
  { name: 'url', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
];
const clicks = (rows: number) => [
  { name: 'user_id', data: Array.from({ length: rows }, (_, i) => `u${i % 3}`) },
  { name: 'ts', data: Array.from({ length: rows }, (_, i) => BigInt(START + i * 60_000_000)) },
  { name: 'url', data: Array.from({ length: rows }, (_, i) => `/p${i}`) },
];

const gzipPage = (input: Uint8Array) => new Uint8Array(gzipSync(input));

/** A Parquet file whose footer says `declared` rows (and, with `values`, its column chunks say so too). */
function lyingFile(rows: number, declared: bigint, values = false): Uint8Array {
  const writer = new ByteWriter();
  const pq = new ParquetWriter({ writer, schema: SCHEMA });
  pq.write({ columnData: clicks(rows) });
  pq.num_rows = declared;
  for (const group of pq.row_groups) {
    group.num_rows = declared;
    if (values) for (const chunk of group.columns) if (chunk.meta_data) chunk.meta_data.num_values = declared;
  }
  pq.finish();
  return new Uint8Array(writer.getBuffer());
}

/** Loads a good CSV, then `data`: the error, and whether the CSV's dataset is still on screen. */
async function loadAfterGood(name: string, data: Uint8Array) {
  const store = new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest });
  const good = new TextEncoder().encode('user_id,timestamp,url\na,2024-05-01T10:00:00Z,/\n');
  await store.loadFile({ name: 'good.csv', size: good.length, data: good });
  const started = performance.now();
  await store.loadFile({ name, size: data.length, data });
  const { error, dataset } = store.getState();
  return { error, kept: dataset?.raw.fileName, ms: performance.now() - started };
}

describe('hostile Parquet', () => {
  it('a footer declaring more rows than the column chunks hold: the file is inconsistent, no NULL rows invented', async () => {
    const { error, kept } = await loadAfterGood('short.parquet', lyingFile(4, 10n));
    expect(error).toBe(
      'short.parquet: could not be read as Parquet: the file is inconsistent: row group 1 declares 10 rows but its column "user_id" holds 4 values',
    );
    expect(kept).toBe('good.csv');
  });

  it('a footer whose column chunks lie too: stops at the first row the pages do not hold, naming the column', async () => {
    const { error, kept } = await loadAfterGood('short.parquet', lyingFile(4, 10n, true));
    expect(error).toBe(
      'short.parquet: could not be read as Parquet: the file is inconsistent: its footer declares 10 rows but column "user_id" holds no value from row 5 on',
    );
    expect(kept).toBe('good.csv');
  });

  it('a footer declaring 1e12 rows is refused at once, before any page is read', async () => {
    const { error, kept, ms } = await loadAfterGood('huge.parquet', lyingFile(4, 1_000_000_000_000n, true));
    expect(error).toBe('huge.parquet: could not be read as Parquet: its footer declares 1,000,000,000,000 rows, more than the 200,000,000 the page can hold');
    expect(kept).toBe('good.csv');
    expect(ms).toBeLessThan(5_000);
  });

  it('a small dictionary-encoded file that expands past the memory budget stops before, naming the column and the size', async () => {
    const rows = 50_000;
    const long = 'x'.repeat(20_000);
    const same = <T>(value: T) => new Array<T>(rows).fill(value);
    const bytes = new Uint8Array(
      parquetWriteBuffer({
        schema: SCHEMA,
        columnData: [
          { name: 'user_id', data: same('u') },
          { name: 'ts', data: same(BigInt(START)) },
          { name: 'url', data: same(long) },
        ],
      }),
    );
    expect(bytes.length).toBeLessThan(4_000);
    const { error, kept } = await loadAfterGood('bomb.parquet', bytes);
    expect(error).toMatch(
      /^bomb\.parquet: could not be read as Parquet: its values expand to more than 768 MB of text \(column "url" alone to 954 MB, from a file of [\d,]+ bytes: a dictionary repeats its values on every row\), more than the page can hold$/,
    );
    expect(kept).toBe('good.csv');
  });

  it(`more than ${MAX_COLUMNS.toLocaleString('en-US')} columns is refused with the count`, async () => {
    const columns = MAX_COLUMNS + 1;
    const bytes = new Uint8Array(
      parquetWriteBuffer({
        schema: [
          { name: 'root', num_children: columns },
          ...Array.from({ length: columns }, (_, i) => ({ name: `c${i}`, type: 'INT32' as const, repetition_type: 'REQUIRED' as const })),
        ],
        columnData: Array.from({ length: columns }, (_, i) => ({ name: `c${i}`, data: [i] })),
        statistics: false,
      }),
    );
    const { error, kept } = await loadAfterGood('wide.parquet', bytes);
    expect(error).toBe('wide.parquet: could not be read as Parquet: it has 10,001 columns; at most 10,000 columns can be loaded in the browser');
    expect(kept).toBe('good.csv');
  });

  it('a compressed page declaring more than the page limit once decompressed is refused before it is allocated', async () => {
    const bytes = parquetWriteBuffer({
      schema: SCHEMA,
      columnData: clicks(2000),
      codec: 'GZIP',
      compressors: { GZIP: gzipPage },
    });
    const read = async () => {
      for await (const _ of parquetBatches(new Blob([bytes]), { ...PARQUET_LIMITS, maxPageBytes: 1024 })) {
        // reading is enough
      }
    };
    await expect(read()).rejects.toThrow(/^a GZIP page declares \d+ MB once decompressed, more than the 1 MB a page may hold$/);
  });
});

/** LZ4 in Hadoop's framing (big-endian decompressed and compressed sizes, then an LZ4 block), one literal run. */
function hadoopLz4(input: Uint8Array): Uint8Array {
  const extra: number[] = [];
  if (input.length >= 15) {
    let rest = input.length - 15;
    while (rest >= 255) {
      extra.push(255);
      rest -= 255;
    }
    extra.push(rest);
  }
  const block = new Uint8Array([Math.min(input.length, 15) << 4, ...extra, ...input]);
  const out = new Uint8Array(8 + block.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, input.length);
  view.setUint32(4, block.length);
  out.set(block, 8);
  return out;
}

describe('the LZ4 codec (Hadoop framing, which pyarrow no longer writes)', () => {
  it('reads a file whose pages are LZ4', async () => {
    const bytes = new Uint8Array(parquetWriteBuffer({ schema: SCHEMA, columnData: clicks(90), codec: 'LZ4', compressors: { LZ4: hadoopLz4 } }));
    const store = new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest });
    await store.loadFile({ name: 'lz4.parquet', size: bytes.length, data: bytes });
    const { error, dataset, result } = store.getState();
    expect(error).toBeNull();
    expect(dataset?.events.figures).toMatchObject({ rowsRead: 90, events: 90, users: 3 });
    // One event every minute, each user every 3 minutes: one session a user.
    expect(result?.stats.sessions).toBe(3);
  });
});
