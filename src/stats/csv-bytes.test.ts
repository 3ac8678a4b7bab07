import { beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { cellSql, copyToCsvSql } from '../sql/export-sql';
import { quoteString } from '../sql/quote';
import { tableFromIPC, type Utf8, type Vector } from 'apache-arrow';
import { csvCell, PackedTexts, writeDuration, writeIsoMillis, written } from './csv-bytes';

const durationText = (startUs: number, endUs: number) => written((w) => writeDuration(w, startUs, endUs));
const isoMillis = (us: number) => written((w) => writeIsoMillis(w, us));

/*
 * The stats worker writes the sessions export's text itself; each piece must be what SQL
 * writes (sessionsExportSql through COPY … (FORMAT CSV)), checked against DuckDB on the
 * values where the two could part: rounding at half a millisecond, instants before 1970 and
 * between milliseconds, and cells that need quotes.
 */

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});

/** A pseudo-random sequence (mulberry32), the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('the sessions export text the worker writes', () => {
  it('durations: as CAST(round((end_us - start_us) / 1000000, 3) AS DECIMAL(18,3))', async () => {
    const next = random(7);
    const durations = [0, 1, 499, 500, 501, 999, 1000, 1500, 2500, 1_799_999_500, 1_800_000_000];
    for (let k = 0; k < 3000; k++) for (const part of [0, 499, 500, 501, 999]) durations.push(k * 1000 + part);
    for (let k = 0; k < 3000; k++) durations.push(Math.floor(next() * 10 ** (3 + Math.floor(next() * 10))));
    for (let k = 0; k < 500; k++) durations.push(Math.floor(next() * 1e9) * 1000 + 500);
    const rows = await engine.query<{ d: number; text: string }>(
      `SELECT d::DOUBLE AS d, CAST(round(d / 1000000, 3) AS DECIMAL(18,3))::VARCHAR AS text FROM (SELECT unnest([${durations.join(',')}]::BIGINT[]) AS d)`,
    );
    expect(rows).toHaveLength(durations.length);
    const wrong = rows.filter((r) => durationText(1_700_000_000_000_000, 1_700_000_000_000_000 + r.d) !== r.text);
    expect(wrong).toEqual([]);
  });

  it("instants: as strftime(make_timestamp(us), '%Y-%m-%dT%H:%M:%S.%gZ'), before 1970 and between milliseconds too", async () => {
    const next = random(11);
    const instants = [0, 1, 999, 1000, -1, -999, -1000, -1001, Date.UTC(1000, 0, 1) * 1000, Date.UTC(9999, 11, 31, 23, 59, 59, 999) * 1000 + 999];
    for (let k = 0; k < 5000; k++) instants.push(Math.floor((next() * 2 - 1) * 6e16) + Math.floor(next() * 1000));
    const inRange = instants.filter((us) => us >= Date.UTC(1000, 0, 1) * 1000 && us < Date.UTC(10000, 0, 1) * 1000);
    const rows = await engine.query<{ us: number; text: string }>(
      `SELECT us::DOUBLE AS us, strftime(make_timestamp(us), '%Y-%m-%dT%H:%M:%S.%gZ') AS text FROM (SELECT unnest([${inRange.join(',')}]::BIGINT[]) AS us)`,
    );
    expect(rows).toHaveLength(inRange.length);
    expect(rows.filter((r) => isoMillis(r.us) !== r.text)).toEqual([]);
  });

  it.each([false, true])('cells (spreadsheet-safe %s): as COPY … (FORMAT CSV) writes them, NULL included', async (safe) => {
    const cells = [
      '',
      ' ',
      'plain',
      'a,b',
      'a"b',
      '"',
      'a\nb',
      'a\rb',
      '\t',
      '\ttab',
      ' lead',
      'trail ',
      'é',
      '😀',
      "'",
      '=1+2',
      '-x',
      '+x',
      '@x',
      '\r',
      'a;b',
      'a\\b',
      'NULL',
      '""',
    ];
    const values = [...cells.map((c) => quoteString(c)), 'NULL'];
    const scratch = await engine.scratchFileName(`cells_${safe}.csv`);
    await engine.exec(
      copyToCsvSql(
        `SELECT ${cellSql('v', safe)} AS v, i FROM (SELECT unnest([${values.join(',')}]) AS v, generate_subscripts([${values.join(',')}], 1) AS i) ORDER BY i`,
        scratch,
        false,
      ),
    );
    const written = new TextDecoder().decode(await engine.takeFile(scratch));
    const expected = [...cells, null].map((c, i) => `${csvCell(c, safe)},${i + 1}\n`).join('');
    expect(written).toBe(expected);
  });

  it('packs an Arrow text column from DuckDB as it is: every batch, NULLs, any UTF-8', async () => {
    const ipc = await engine.queryIpc(
      "SELECT CASE WHEN i % 7 = 0 THEN NULL WHEN i % 5 = 0 THEN '' ELSE 'id-' || i || CASE WHEN i % 3 = 0 THEN '-é😀' ELSE '' END END AS v FROM range(5000) t(i)",
    );
    const column = tableFromIPC(ipc).getChild('v') as Vector<Utf8>;
    expect(column.data.length).toBeGreaterThan(1);
    const packed = PackedTexts.fromArrow(column);
    expect(packed.count).toBe(5000);
    const expected = Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? null : i % 5 === 0 ? '' : `id-${i}${i % 3 === 0 ? '-é😀' : ''}`));
    expect(Array.from({ length: 5000 }, (_, i) => packed.text(i))).toEqual(expected);
  });
});
