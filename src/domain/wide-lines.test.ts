import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordScanner } from './csv-records';
import { wideLineScanner, type WideLine } from './wide-lines';

const LF = 10;
const CR = 13;

/** The scan of `bytes` pushed in pieces cut at `cuts`. */
function scan(bytes: Uint8Array, cuts: number[], maxFields: number, maxLines = 1000) {
  const scanner = wideLineScanner({ delimiter: ',', quote: '"', headerLine: 1, maxFields, maxLines });
  let from = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b), bytes.length]) {
    scanner.push(bytes.subarray(from, cut));
    from = cut;
  }
  return scanner.finish();
}

/** The same lines as found by csv-records' record scanner (the sniffer's), which keeps each record's bytes. */
function reference(bytes: Uint8Array, maxFields: number): Omit<WideLine, 'end'>[] {
  const found: Omit<WideLine, 'end'>[] = [];
  const scanner = recordScanner(',', '"', (r) => {
    if (r.line > 1 && r.fieldCount > maxFields) found.push({ line: r.line, start: r.start, fieldCount: r.fieldCount });
  });
  scanner.push(bytes);
  scanner.finish(true);
  return found;
}

describe('wideLineScanner', () => {
  it('finds the lines the record scanner counts as wider, whatever the chunks (quotes, escaped quotes, CR, LF, CR LF)', () => {
    const piece = fc.constantFrom('a', 'bb', ',', ',,,', '"', '""', '\n', '\r', '\r\n', ' ');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 120 }), fc.array(fc.nat(400), { maxLength: 6 }), fc.integer({ min: 1, max: 6 }), (pieces, cuts, maxFields) => {
        const bytes = new TextEncoder().encode(pieces.join(''));
        const { lines, overflow } = scan(bytes, cuts, maxFields);
        expect(overflow).toBe(false);
        expect(lines.map(({ end: _, ...l }) => l)).toEqual(reference(bytes, maxFields));
        for (const l of lines) {
          // A line's bytes end after its line break (CR LF whole), or at the end of the file.
          expect(l.end).toBeGreaterThan(l.start);
          const last = bytes[l.end - 1];
          expect(l.end === bytes.length || last === LF || (last === CR && bytes[l.end] !== LF)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('a 30,000-field line between short ones: its line, bytes and field count', () => {
    const wide = Array.from({ length: 30_000 }, (_, i) => `v${i}`).join(',');
    const text = `a,b,c\r\n1,2,3\r\n${wide}\r\n4,"5\n5",6\r\n`;
    const bytes = new TextEncoder().encode(text);
    const start = text.indexOf('v0');
    expect(scan(bytes, [9, start + 5, 70_000], 67).lines).toEqual([{ line: 3, start, end: start + wide.length + 2, fieldCount: 30_000 }]);
  });

  it('stops at maxLines and says the scan overflowed', () => {
    const bytes = new TextEncoder().encode(`h\n${'a,b,c\n'.repeat(5)}`);
    const { lines, overflow } = scan(bytes, [], 2, 3);
    expect(lines.map((l) => l.line)).toEqual([2, 3, 4]);
    expect(overflow).toBe(true);
  });
});
