import { describe, expect, it } from 'vitest';
import { checkedLinesOfRows, recordsOfRows, type RowLineSource } from './row-lines';

const text = 'Title\n\nid,ts\r\na,1\r\n"b\r\nc",2\r\n\r\nset,aside,line\r\nd,\r\ne,5\r\n';
const source = (data: Uint8Array, encoding = 'utf-8'): RowLineSource => ({
  data,
  encoding,
  delimiter: ',',
  quote: '"',
  skipLines: 1,
  header: true,
  notRows: [8],
  rows: 4,
});

function utf16le(s: string): Uint8Array {
  const bytes = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) new DataView(bytes.buffer).setUint16(i * 2, s.charCodeAt(i), true);
  return bytes;
}

describe('recordsOfRows', () => {
  it.each([1, 2, 3, 7, 1 << 20])("finds each row's record and line, read in slices of %i bytes", async (slice) => {
    const records = await recordsOfRows(source(new TextEncoder().encode(text)), [1, 2, 3, 4, 5], slice);
    expect([...records]).toEqual([
      [1, { line: 4, fields: ['a', '1'] }],
      [2, { line: 5, fields: ['b\r\nc', '2'] }],
      [3, { line: 9, fields: ['d', ''] }],
      [4, { line: 10, fields: ['e', '5'] }],
    ]);
  });

  it.each([1, 3, 1 << 20])('reads a UTF-16 file through its UTF-8 conversion (slices of %i bytes)', async (slice) => {
    const records = await recordsOfRows(source(utf16le(text.replace('a,1', 'ä,1')), 'utf-16le'), [1, 4], slice);
    expect([...records]).toEqual([
      [1, { line: 4, fields: ['ä', '1'] }],
      [4, { line: 10, fields: ['e', '5'] }],
    ]);
  });

  it('stops at its byte budget: rows further down are left out', async () => {
    const records = await recordsOfRows(source(new TextEncoder().encode(text)), [1, 4], 4, 24);
    expect([...records.keys()]).toEqual([1]);
  });

  it('names a line only when its record holds the values read for the row', async () => {
    const lines = await checkedLinesOfRows(
      source(new TextEncoder().encode(text)),
      new Map([
        [3, ['d', null]],
        [4, ['x', '5']],
      ]),
    );
    expect([...lines]).toEqual([[3, 9]]);
  });
});
