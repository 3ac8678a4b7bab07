import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropLoaded, loadThroughApp } from '../test/load-through-app';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';

/*
 * Skipped rows are named by the file line an editor shows: each case puts the rows that skip
 * below lines that are not rows (titles, blank lines, a quoted line break, a set-aside line,
 * a repeated header) and checks that the line named holds the skipped row's text.
 */

let engine: NodeEngine;
let nextId = 9100;

beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(() => engine.close());

const ROWS = 'u1,2024-05-01T08:00:00Z,/a\nu1,2024-05-01T08:05:00Z,/b\n';

/** The skipped examples of a file, each with the text of the file line it names. */
async function skippedLines(bytes: Uint8Array, text: string): Promise<{ row: number; line: number | undefined; text: string | undefined }[]> {
  const id = nextId++;
  const outcome = await loadThroughApp(engine, 'clicks.csv', bytes, id);
  await dropLoaded(engine, id);
  if (!outcome.ok) throw new Error(outcome.error.message);
  const lines = text.split(/\r\n|\n|\r/);
  return outcome.events.skippedExamples.map((r) => ({ row: r.row, line: r.line, text: r.line === undefined ? undefined : lines[r.line - 1] }));
}

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('skipped rows are named by their file line', () => {
  it('below a title line and blank lines', async () => {
    const text = `Clickstream export, May 2024\n\nuser_id,timestamp,url\n\n${ROWS}\n\nskip1,,/x\n${ROWS}skip2,not a time,/y\n`;
    expect(await skippedLines(utf8(text), text)).toEqual([
      { row: 3, line: 9, text: 'skip1,,/x' },
      { row: 6, line: 12, text: 'skip2,not a time,/y' },
    ]);
  });

  it('below a line break inside a quoted field', async () => {
    const text = `user_id,timestamp,url\nu1,2024-05-01T08:00:00Z,"/a\nsecond line"\nskip1,,/x\n`;
    expect(await skippedLines(utf8(text), text)).toEqual([{ row: 2, line: 4, text: 'skip1,,/x' }]);
  });

  it('below a line set aside as malformed', async () => {
    // A line with too few fields: set aside, not a row.
    const text = `user_id,timestamp,url\n${ROWS}u2,2024-05-01T08:00:00Z\nskip1,,/x\n`;
    expect(await skippedLines(utf8(text), text)).toEqual([{ row: 3, line: 5, text: 'skip1,,/x' }]);
  });

  it('below a line repeating the header', async () => {
    const text = `user_id,timestamp,url\n${ROWS}user_id,timestamp,url\n${ROWS}skip1,,/x\n`;
    expect(await skippedLines(utf8(text), text)).toEqual([{ row: 5, line: 7, text: 'skip1,,/x' }]);
  });

  it('with CRLF line endings', async () => {
    const text = `user_id,timestamp,url\r\n\r\n${ROWS.replaceAll('\n', '\r\n')}skip1,,/x\r\n`;
    expect(await skippedLines(utf8(text), text)).toEqual([{ row: 3, line: 5, text: 'skip1,,/x' }]);
  });

  it('in a UTF-16 file (read from its UTF-8 conversion)', async () => {
    const text = `user_id,timestamp,url\n${ROWS}"ü1",2024-05-01T08:00:00Z,"/é\nzwei"\n\nskip1,,/x\n`;
    const bytes = new Uint8Array(2 + text.length * 2);
    bytes.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) new DataView(bytes.buffer).setUint16(2 + i * 2, text.charCodeAt(i), true);
    expect(await skippedLines(bytes, text)).toEqual([{ row: 4, line: 7, text: 'skip1,,/x' }]);
  });

  it('in a Windows-1252 file', async () => {
    const text = `user_id,timestamp,url\nü1,2024-05-01T08:00:00Z,"/é\nzwei"\nskip1,,/café\n`;
    // Latin-1 letters are the same bytes in Windows-1252.
    const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
    expect(await skippedLines(bytes, text)).toEqual([{ row: 2, line: 4, text: 'skip1,,/café' }]);
  });

  it('more lines set aside than are known by line: the data row', async () => {
    const text = `user_id,timestamp,url\n${'u2,2024-05-01T08:00:00Z\n'.repeat(25)}${ROWS}skip1,,/x\n`;
    expect(await skippedLines(utf8(text), text)).toEqual([{ row: 3, line: undefined, text: undefined }]);
  });

  it('a file read leniently keeps the data row (its line is not certain)', async () => {
    const text = 'user_id,timestamp,url\nu1,2024-05-01T08:00:00Z,/p0\r\nu2,2024-05-01T08:01:00Z,/p1\nx\n';
    expect(await skippedLines(utf8(text), text)).toEqual([{ row: 3, line: undefined, text: undefined }]);
  });
});
