import { describe, expect, it } from 'vitest';
import { recordScanner, type RecordInfo } from './csv-records';

/** The records of `text`, fed in chunks of `chunk` bytes: line, start, field count, last empty, text. */
function records(text: string, chunk: number, complete = true): [number, number, number, boolean, string][] {
  const found: [number, number, number, boolean, string][] = [];
  const decoder = new TextDecoder();
  const scanner = recordScanner(',', '"', (r: RecordInfo, bytes) => {
    found.push([r.line, r.start, r.fieldCount, r.endsWithDelimiter, decoder.decode(bytes)]);
  });
  const bytes = new TextEncoder().encode(text);
  for (let at = 0; at < bytes.length; at += chunk) scanner.push(bytes.subarray(at, at + chunk));
  scanner.finish(complete);
  return found;
}

describe('recordScanner', () => {
  const text = 'a,b,c\r\n1,"two\r\nlines",3\n\n4,5,\r\n"x,""y""",z';
  const expected: [number, number, number, boolean, string][] = [
    [1, 0, 3, false, 'a,b,c'],
    [2, 7, 3, false, '1,"two\r\nlines",3'],
    [5, 25, 3, true, '4,5,'],
    [6, 31, 2, false, '"x,""y""",z'],
  ];

  it('splits records as RFC 4180 does: line breaks inside quotes belong to the value, blank lines are no record', () => {
    expect(records(text, 1 << 20)).toEqual(expected);
  });

  it('gives the same records whatever the chunk size (a CRLF, a quote or a record cut between chunks)', () => {
    for (const chunk of [1, 2, 3, 5, 7]) expect(records(text, chunk), `chunks of ${chunk}`).toEqual(expected);
  });

  it('leaves out a last record without a line break when the bytes are only the start of the file', () => {
    expect(records(text, 4, false)).toEqual(expected.slice(0, 3));
  });

  it('counts a quote inside an unquoted field as text, not as the start of a quoted value', () => {
    expect(records("Men's,x\n'a,b',c\n", 3).map((r) => r[2])).toEqual([2, 3]);
  });

  it('counts lines ending in a lone CR', () => {
    expect(records('a,b\rc,d\re,f', 2).map((r) => [r[0], r[4]])).toEqual([
      [1, 'a,b'],
      [2, 'c,d'],
      [3, 'e,f'],
    ]);
  });
});
