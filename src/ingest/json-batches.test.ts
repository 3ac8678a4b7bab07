import { describe, expect, it } from 'vitest';
import { jsonBatches } from './json-batches';
import { parseRecord } from './json-records';
import { lineRecords } from './json-lines';
import { previewJson } from './json-preview';
import type { RowBatch } from './row-batches';

/** The bytes in chunks of `size`, so records and characters are cut across chunks. */
async function* chunked(text: string | Uint8Array, size = 7): AsyncGenerator<Uint8Array> {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

async function read(text: string | Uint8Array, size = 7, limits = {}) {
  const batches: RowBatch[] = [];
  for await (const b of jsonBatches(chunked(text, size), limits)) batches.push(b);
  const rows: Record<string, string | null>[] = [];
  for (const b of batches) {
    for (let r = 0; r < b.rows; r++) rows.push(Object.fromEntries(b.columns.map((c, i) => [c, b.cells[i]?.[r] ?? null])));
  }
  return { rows, rejected: batches.flatMap((b) => b.rejected.map((r) => ({ line: r.line, message: r.message }))), batches };
}

const objects = [
  { event: 'view', properties: { distinct_id: 'u1', time: 1714557600, tags: ['a', 'b'], nested: { x: { y: true } } } },
  { event: 'buy', properties: { distinct_id: 'u2', time: 1714557601, $current_url: 'https://shop/é' } },
];
const flat = [
  { event: 'view', 'properties.distinct_id': 'u1', 'properties.time': '1714557600', 'properties.tags': '["a","b"]', 'properties.nested.x.y': 'true' },
  { event: 'buy', 'properties.distinct_id': 'u2', 'properties.time': '1714557601', 'properties.$current_url': 'https://shop/é' },
];

describe('JSON layouts', () => {
  it.each([
    ['NDJSON', objects.map((o) => JSON.stringify(o)).join('\n')],
    ['NDJSON with CRLF, a BOM and blank lines', `\uFEFF${objects.map((o) => JSON.stringify(o)).join('\r\n\r\n')}\r\n`],
    ['a minified array', JSON.stringify(objects)],
    ['a pretty-printed array', JSON.stringify(objects, null, 2)],
    ['pretty-printed objects one after another', objects.map((o) => JSON.stringify(o, null, 2)).join('\n')],
  ])('%s: nested objects become dotted paths, arrays stay JSON text', async (_name, text) => {
    for (const size of [1, 7, 4096]) {
      const { rows, rejected } = await read(text, size);
      expect(rejected).toEqual([]);
      expect(rows).toEqual(
        flat.map((f, i) => (i === 0 ? { ...f, 'properties.$current_url': null } : { ...f, 'properties.tags': null, 'properties.nested.x.y': null })),
      );
    }
  });

  it('numbers the lines of array elements where each starts, and sets bad elements aside', async () => {
    const text = '[\n  {"a": 1},\n  {"a": tru},\n  42,\n  {"a":\n    3},\n  ,\n  {"a": 4}\n]\n';
    const { rows, rejected } = await read(text, 5);
    expect(rows).toEqual([{ a: '1' }, { a: '3' }, { a: '4' }]);
    expect(rejected.map((r) => r.line)).toEqual([3, 4, 7]);
    expect(rejected[1]?.message).toBe('expected a JSON object, found a number');
  });

  it('a byte that is not UTF-8 in an array stops the read, naming its line', async () => {
    const text = new TextEncoder().encode('[\n{"a":"x"},\n{"a":"y"},\n{"a":"?"}\n]');
    text[text.length - 5] = 0xff;
    await expect(read(text, 4096)).rejects.toThrow('line 4 holds a byte that is not UTF-8; JSON must be UTF-8');
  });

  it('says so when an array is cut short, or has text after its end', async () => {
    expect((await read('[{"a":1},\n{"a":2')).rejected).toEqual([{ line: 2, message: 'the file ends inside this element (is it cut short?)' }]);
    expect((await read('[{"a":1}]\nxyz')).rejected).toEqual([{ line: 2, message: 'text after the end of the array' }]);
  });

  it('keeps the digits of integers longer than a double holds, strings containing them untouched', async () => {
    const { rows } = await read('{"id":12345678901234567890,"t":"x:12345678901234567,y","f":1.5}\n');
    expect(rows).toEqual([{ id: '12345678901234567890', t: 'x:12345678901234567,y', f: '1.5' }]);
  });
});

describe('hostile JSON', () => {
  it('one bad line is set aside with its number (malformed, not an object, not UTF-8); the rest is read', async () => {
    const bad = new Uint8Array([...new TextEncoder().encode('{"a":"x"}\n{"a":"'), 0xff, ...new TextEncoder().encode('"}\n')]);
    const text = new Uint8Array([...new TextEncoder().encode('not json\n[1]\n"s"\nnull\n'), ...bad, ...new TextEncoder().encode('{"a":"y"}')]);
    const { rows, rejected } = await read(text);
    expect(rows).toEqual([{ a: 'x' }, { a: 'y' }]);
    expect(rejected.map((r) => [r.line, r.message.replace(/ \(.*/, '')])).toEqual([
      [1, 'not valid JSON'],
      [2, 'expected a JSON object, found an array'],
      [3, 'expected a JSON object, found a string'],
      [4, 'expected a JSON object, found null'],
      [6, 'not valid UTF-8'],
    ]);
  });

  it('__proto__ and constructor keys are ordinary columns and pollute nothing', async () => {
    const { rows } = await read('{"__proto__":{"polluted":"yes"},"constructor":"c","u":"1"}\n{"__proto__":"p","toString":"t"}\n');
    expect(rows.map((r) => Object.entries(r))).toEqual([
      [
        ['__proto__.polluted', 'yes'],
        ['constructor', 'c'],
        ['u', '1'],
        ['__proto__', null],
        ['toString', null],
      ],
      [
        ['__proto__.polluted', null],
        ['constructor', null],
        ['u', null],
        ['__proto__', 'p'],
        ['toString', 't'],
      ],
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(rows[0] ?? {})).toContain('__proto__.polluted');
  });

  it('keys differing only in case become two columns (DuckDB folds case), the later one renamed', async () => {
    const { rows } = await read('{"userId":"a","userid":"b"}\n{"userid":"c","USERID":"d"}\n');
    expect(rows.map((r) => Object.entries(r))).toEqual([
      [
        ['userId', 'a'],
        ['userid_2', 'b'],
        ['USERID_3', null],
      ],
      [
        ['userId', null],
        ['userid_2', 'c'],
        ['USERID_3', 'd'],
      ],
    ]);
  });

  it('an empty key and a key with a NUL byte get names a column can have', async () => {
    const { rows } = await read('{"":"e","x\\u0000y":"n","a":{"":"z"}}\n');
    expect(rows.map((r) => Object.entries(r))).toEqual([
      [
        ['(empty key)', 'e'],
        ['x\uFFFDy', 'n'],
        ['a.', 'z'],
      ],
    ]);
  });

  it('20,000-deep nesting is set aside (bounded depth), not a stack overflow', async () => {
    const deep = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
    const deepArray = `{"u":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    const { rows, rejected } = await read(`${deep}\n${deepArray}\n{"u":"ok"}\n`, 4096);
    expect(rows).toEqual([{ u: 'ok' }]);
    expect(rejected).toEqual([
      { line: 1, message: 'nested more than 64 levels deep; at most 64 are read' },
      { line: 2, message: 'nested more than 64 levels deep; at most 64 are read' },
    ]);
    expect(parseRecord(`${'{"a":'.repeat(64)}1${'}'.repeat(64)}`).ok).toBe(true);
  });

  it('a new key on every line stops at the column cap, naming the line that went past it', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ user: 'u', ts: '2024-05-01T10:00:00Z', [`k${i}`]: 1 }));
    await expect(read(lines.join('\n'), 1 << 16)).rejects.toThrow(/^line 1,999 brings a key \("k1998"\) past 2,000 distinct keys/);
  });

  it('a sparse file stops at the cell cap (rows × columns), naming the line', async () => {
    const lines = Array.from({ length: 400 }, (_, i) => JSON.stringify({ u: 'a', [`k${i % 50}`]: 1 }));
    await expect(read(lines.join('\n'), 1 << 16, { maxCells: 5000 })).rejects.toThrow(
      /^line 99 makes 99 rows × 51 columns, more cells than the browser's DuckDB holds \(at most 5,000, most of them empty/,
    );
  });

  it('batches stay within their cell budget however wide the records', async () => {
    const lines = Array.from({ length: 300 }, (_, i) => JSON.stringify(Object.fromEntries(Array.from({ length: 100 }, (_, k) => [`c${k}`, i]))));
    const { batches, rows } = await read(lines.join('\n'), 1 << 16, { batchCells: 5000 });
    expect(rows).toHaveLength(300);
    expect(Math.max(...batches.map((b) => b.rows * b.columns.length))).toBeLessThanOrEqual(5000);
  });

  it('a line longer than the record limit is set aside without being held', async () => {
    const out = [];
    for await (const r of lineRecords(chunked(`{"a":"${'x'.repeat(100)}"}\n{"a":1}\n`, 9), 50)) out.push(...r);
    expect(out).toEqual([
      { line: 1, problem: 'the line is longer than 0 MB', text: '' },
      { line: 2, text: '{"a":1}' },
    ]);
  });
});

describe('previewJson', () => {
  it('shows the first records of a pretty-printed array cut off mid-record, flattened as the reader reads them', async () => {
    const text = JSON.stringify(objects.concat(objects, objects), null, 2);
    const head = new TextEncoder().encode(text.slice(0, text.indexOf('"buy"', text.indexOf('"buy"') + 1)));
    const preview = await previewJson(head);
    expect(preview?.header).toEqual([
      'event',
      'properties.distinct_id',
      'properties.time',
      'properties.tags',
      'properties.nested.x.y',
      'properties.$current_url',
    ]);
    expect(preview?.rows.map((r) => r[0])).toEqual(['view', 'buy', 'view']);
  });
});
