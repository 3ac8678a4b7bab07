import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { afterAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../test/node-engine';
import { ArrowToParquet, type ParquetColumn } from './arrow-to-parquet';

const COLUMNS: ParquetColumn[] = [
  { source: 'a', name: 'text', type: 'string' },
  { source: 'n', name: 'count', type: 'int64' },
  { source: 't', name: 'at', type: 'timestamp-us' },
  { source: 'd', name: 'seconds', type: 'double' },
];

const engine = await createNodeEngine();
afterAll(() => engine.close());

const chunkIpc = (first: number) =>
  engine.queryIpc(`SELECT * FROM (VALUES
  ('x${first}', ${first}::BIGINT, 1700000000000001::BIGINT, 1.5),
  (NULL, NULL, NULL, NULL),
  ('é${first}', -4294967297::BIGINT, -86400000000::BIGINT, 2.25)) v(a, n, t, d)`);

describe('ArrowToParquet', () => {
  it('writes chunks as one file, in order, with the file names and types and every null kept', async () => {
    const file = await ArrowToParquet.start(COLUMNS);
    expect(await file.add(await chunkIpc(1))).toBe(3);
    expect(await file.add(await chunkIpc(2))).toBe(3);
    const bytes = await (await file.finish()).arrayBuffer();
    const schema = parquetMetadata(bytes).schema.slice(1);
    expect(schema.map((s) => [s.name, s.type, s.logical_type?.type ?? null])).toEqual([
      ['text', 'BYTE_ARRAY', 'STRING'],
      ['count', 'INT64', null],
      ['at', 'INT64', 'TIMESTAMP'],
      ['seconds', 'DOUBLE', null],
    ]);
    expect(schema[2]?.logical_type).toMatchObject({ isAdjustedToUTC: true, unit: 'MICROS' });
    const rows = await parquetReadObjects({ file: bytes, utf8: true });
    const at = new Date('2023-11-14T22:13:20.000Z');
    const dayBefore1970 = new Date('1969-12-31T00:00:00.000Z');
    const none = { text: null, count: null, at: null, seconds: null };
    expect(rows).toEqual([
      { text: 'x1', count: 1n, at, seconds: 1.5 },
      none,
      { text: 'é1', count: -4294967297n, at: dayBefore1970, seconds: 2.25 },
      { text: 'x2', count: 2n, at, seconds: 1.5 },
      none,
      { text: 'é2', count: -4294967297n, at: dayBefore1970, seconds: 2.25 },
    ]);
  });

  it('a query result with its columns in another order, other types and one more column gives the same file', async () => {
    const sql = (first: number) => `SELECT * FROM (VALUES
  (1.5::FLOAT, 'spare', ${first}::INTEGER, 1700000000000001::BIGINT, 'x${first}'),
  (NULL, NULL, NULL, NULL, NULL),
  (2.25::FLOAT, 'spare', -4294967297::HUGEINT, -86400000000::BIGINT, 'é${first}')) v(d, extra, n, t, a)`;
    const direct = await ArrowToParquet.start(COLUMNS);
    const reordered = await ArrowToParquet.start(COLUMNS);
    for (const first of [1, 2]) {
      await direct.add(await chunkIpc(first));
      await reordered.add(await engine.queryIpc(sql(first)));
    }
    const read = async (file: ArrowToParquet) => parquetReadObjects({ file: await (await file.finish()).arrayBuffer(), utf8: true });
    expect(await read(reordered)).toEqual(await read(direct));
  });

  it('an export of no rows is a file with the columns and no rows', async () => {
    const file = await ArrowToParquet.start(COLUMNS);
    expect(await file.add(await engine.queryIpc(`SELECT * FROM (VALUES ('x', 1::BIGINT, 1::BIGINT, 1.0)) v(a, n, t, d) WHERE false`))).toBe(0);
    const bytes = await (await file.finish()).arrayBuffer();
    expect(
      parquetMetadata(bytes)
        .schema.slice(1)
        .map((s) => s.name),
    ).toEqual(['text', 'count', 'at', 'seconds']);
    expect(await parquetReadObjects({ file: bytes })).toEqual([]);
  });

  it('names a column the query result lacks', async () => {
    const file = await ArrowToParquet.start([...COLUMNS, { source: 'missing', name: 'm', type: 'string' }]);
    await expect(file.add(await chunkIpc(1))).rejects.toThrow('the export query has no column "missing"');
  });
});
