import { describe, expect, it } from 'vitest';
import { linesAtOffsets, numberByFileLines } from './file-lines';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('linesAtOffsets', () => {
  // LF, CRLF, a lone CR and a line break inside a quoted field each end one line.
  const text = 'a,b\r\n1,"x\ny"\n2,z\r3,w\r\n4,v';
  const offsetOf = (needle: string) => text.indexOf(needle);

  for (const slice of [1, 2, 3, 5, 1 << 20]) {
    it(`numbers each byte by its file line, in slices of ${slice} bytes (a CR LF split between slices counted once)`, async () => {
      const offsets = ['a,b', '1,"x', 'y"', '2,z', '3,w', '4,v'].map(offsetOf);
      for (const data of [bytes(text), new Blob([bytes(text)])]) {
        const lines = await linesAtOffsets(data, offsets, slice);
        expect(offsets.map((o) => lines.get(o))).toEqual([1, 2, 3, 4, 5, 6]);
      }
    });
  }

  it('reads no further than the largest offset asked for', async () => {
    const read: [number, number][] = [];
    class SpyBlob extends Blob {
      override slice(start?: number, end?: number): Blob {
        read.push([start ?? 0, end ?? this.size]);
        return super.slice(start, end);
      }
    }
    const spy = new SpyBlob([bytes(`${'x\n'.repeat(50)}${'y'.repeat(1000)}`)]);
    expect((await linesAtOffsets(spy, [20, 40], 32)).get(40)).toBe(21);
    expect(read).toEqual([
      [0, 32],
      [32, 64],
    ]);
  });

  it('an offset at or past the end of the file is on its last line', async () => {
    expect([...(await linesAtOffsets(bytes('a\nb\n'), [4, 99]))]).toEqual([
      [4, 3],
      [99, 3],
    ]);
  });
});

describe('numberByFileLines', () => {
  it('numbers a set-aside line from the byte position DuckDB gives (one past where it took the line to start), its leading line breaks dropped', async () => {
    // As DuckDB 1.4 reports them: "x" after a CRLF line in an LF file, its text starting
    // with the LF of that CRLF; and a line DuckDB has no position for, kept as it numbered it.
    const data = bytes('a,b\n1,2\r\nx\n3,4\n');
    const lines = await numberByFileLines(data, [
      { line: 4, position: 9, message: 'Expected Number of Columns: 2 Found: 1', text: '\nx' },
      { line: 7, position: null, message: 'm', text: 'y' },
    ]);
    expect(lines).toEqual([
      { line: 3, message: 'Expected Number of Columns: 2 Found: 1', text: 'x' },
      { line: 7, message: 'm', text: 'y' },
    ]);
  });

  it("finds the set-aside text past a position that is an earlier record's (seen in reads of mixed line endings)", async () => {
    const data = bytes('h1,h2\r\nu1,1\r\nu2,2\nu3\nu4,4\r\n');
    // DuckDB named the start of line 2 for "u3", which is line 4.
    expect(await numberByFileLines(data, [{ line: 3, position: 8, message: 'm', text: 'u3' }])).toEqual([{ line: 4, message: 'm', text: 'u3' }]);
  });
  it("keeps DuckDB's line, with that line's text, where the position names an earlier line of a file without CR (DuckDB's count is then a lower bound)", async () => {
    // As in Pollock's file_quotation_char_0x27.csv read with quote ': DuckDB sets line 3
    // aside but gives the position and text of the kept line 2 above it.
    const data = bytes("h1,h2\nKids' Mocs,'a'\n'Kids' Shirt','b'\n");
    expect(await numberByFileLines(data, [{ line: 3, position: 5, message: 'm', text: "Kids' Mocs,'a'" }])).toEqual([
      { line: 3, message: 'm', text: "'Kids' Shirt','b'" },
    ]);
    // With a CR in the file, DuckDB may count a CR LF twice: the position wins.
    const crlf = bytes("h1,h2\r\nKids' Mocs,'a'\n'Kids' Shirt','b'\n");
    expect(await numberByFileLines(crlf, [{ line: 3, position: 6, message: 'm', text: "Kids' Mocs,'a'" }])).toEqual([
      { line: 2, message: 'm', text: "Kids' Mocs,'a'" },
    ]);
  });
});
