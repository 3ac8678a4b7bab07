import { describe, expect, it } from 'vitest';
import { linePieces, readLinePieces } from './quick-read-chunks';
import { quickRead } from './quick-read';

/*
 * Slices of a file cut into pieces of whole lines, each behind the header: the pieces' rows
 * together must be the file's rows, wherever the slices end (inside a line, inside a quoted
 * field, between CR and LF, inside a multi-byte UTF-8 character); and the quick read of the
 * pieces must equal the quick read of the whole file.
 */

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
const comma = { delimiter: ',', quote: '"' };

const header = 'user_id,timestamp,url\r\n';
const rows = [
  'u1,2024-05-01T10:00:00Z,"/a,b"\r\n',
  'üser-ß,2024-05-01T10:00:01Z,/päge/日本\r\n',
  'u1,2024-05-01T10:30:00Z,"/quoted, with a comma"\r\n',
  '😀,2024-05-01T11:00:00Z,/emoji/😀\r\n',
  ',2024-05-01T11:00:00Z,/no-user\r\n',
  'u2,2024-05-01T12:00:00Z,',
];
const text = `\uFEFF${header}${rows.join('')}`;
const bytes = encode(text);
const headerEnd = bytes.indexOf(10) + 1;

/** The rows of pieces (each with the header in front), joined. */
function rowsOf(pieces: Uint8Array[]): string {
  return pieces
    .map((piece) => {
      expect(decode(piece.subarray(0, headerEnd))).toBe(`\uFEFF${header}`);
      return decode(piece.subarray(headerEnd));
    })
    .join('');
}

describe('linePieces', () => {
  it('gives every row once, in whole lines, at every slice size', () => {
    for (let chunkBytes = 1; chunkBytes <= bytes.length; chunkBytes++) {
      const pieces = linePieces(bytes, headerEnd, headerEnd, bytes.length, chunkBytes);
      expect(rowsOf(pieces), `slices of ${chunkBytes}`).toBe(rows.join(''));
      // Each piece but the last ends with its line break: no line, quote, CR LF or character is cut.
      for (const piece of pieces.slice(0, -1)) expect(piece[piece.length - 1]).toBe(10);
    }
  });

  it('gives the header alone for a file without rows', () => {
    const only = encode(header);
    expect(linePieces(only, only.length, only.length, only.length, 4).map(decode)).toEqual([header]);
  });

  it('reads from a Blob in slices as from the bytes', async () => {
    const blob = new Blob([bytes]);
    for (const chunkBytes of [1, 2, 3, 5, 7, 11, 64]) {
      const pieces: Uint8Array[] = [];
      const problem = await readLinePieces(
        blob,
        headerEnd,
        headerEnd,
        bytes.length,
        (piece) => {
          // A piece is only valid while `take` runs: the next is made in the same buffer.
          pieces.push(piece.slice());
          return null;
        },
        chunkBytes,
      );
      expect(problem).toBeNull();
      expect(rowsOf(pieces)).toBe(rows.join(''));
    }
  });

  it('stops at the first piece declined, with its reason', async () => {
    let taken = 0;
    const problem = await readLinePieces(bytes, headerEnd, headerEnd, bytes.length, () => (++taken === 2 ? 'no' : null), 8);
    expect(problem).toBe('no');
    expect(taken).toBe(2);
  });
});

describe('quickRead in pieces', () => {
  it('equals the whole read when slices end inside a quoted field, between CR and LF, and inside UTF-8 characters', () => {
    const whole = quickRead(bytes, comma);
    if (!whole.ok) throw new Error(whole.reason);
    expect(whole.figures).toMatchObject({ rowsRead: 6, events: 5, skipped: 1 });
    const cuts = { quote: text.indexOf('/a,b'), crlf: bytes.indexOf(13, headerEnd) + 1, utf8: bytes.indexOf(0xc3, headerEnd) + 1 };
    for (const [what, at] of Object.entries(cuts)) {
      // The first slice ends at `at`: a slice size that makes it so.
      const chunkBytes = at - headerEnd;
      expect(chunkBytes, what).toBeGreaterThan(0);
      expect(quickRead(bytes, comma, { chunkBytes }), what).toEqual(whole);
    }
    for (let chunkBytes = 1; chunkBytes <= bytes.length; chunkBytes++) expect(quickRead(bytes, comma, { chunkBytes })).toEqual(whole);
  });

  it('declines in pieces what it declines whole: a line break inside quotes, invalid UTF-8, a blank line', () => {
    const broken = [
      encode(`${header}u1,2024-05-01T10:00:00Z,"/a\nb"\r\n`),
      new Uint8Array([...encode(`${header}u1,2024-05-01T10:00:00Z,/`), 0xc3, 0x28, 13, 10]),
      encode(`${header}u1,2024-05-01T10:00:00Z,/a\r\n\r\nu1,2024-05-01T10:00:01Z,/a\r\n`),
    ];
    for (const file of broken) {
      expect(quickRead(file, comma).ok).toBe(false);
      for (let chunkBytes = 1; chunkBytes <= file.length; chunkBytes++) expect(quickRead(file, comma, { chunkBytes }).ok).toBe(false);
    }
  });
});
