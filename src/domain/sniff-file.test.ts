import { describe, expect, it } from 'vitest';
import { sniffFile, type FirstLineGuess } from './sniff-file';

/** The first-line guess for `text` as a whole file. */
function guess(text: string): FirstLineGuess {
  const bytes = new TextEncoder().encode(text);
  const sniff = sniffFile('f.csv', bytes, bytes.length);
  if (!sniff.ok || !sniff.firstLine) throw new Error(`not delimited: ${JSON.stringify(sniff)}`);
  return sniff.firstLine;
}

describe('sniffFile: title lines above the header', () => {
  it.each([
    ['a one-field title', 'Clickstream export\nuser_id,timestamp,url\nu1,2024-05-01T10:00:00Z,/a\n', 1],
    ['a preamble line and a line of delimiters', 'PREAMBLE,,\n,,\nuser_id,timestamp,url\nu1,2024-05-01T10:00:00Z,/a\n', 2],
    ['a comment above a header wider than its rows', '# gunk\none,two,three,four\n1,a,alice\n', 1],
    ['an Excel separator line', 'sep=;\nuser_id;timestamp;url\nu1;2024-05-01T10:00:00Z;/a\n', 1],
  ])('%s: skipped', (_, text, titles) => {
    expect(guess(text).titleLines).toBe(titles);
  });

  it.each([
    ['a header on the first line', 'user_id,timestamp,url\nu1,2024-05-01T10:00:00Z,/a\n'],
    ['a one-column file (its header, then a quoted value over several lines, then a wider line)', 'content\n"RT: a, b\nc"\n84,hello world\n'],
    ['a headerless file whose first line is one value', '10\n10,100\n10,100,1000\n'],
    ["a first note of two fields above a wider header (left to DuckDB's sniffer)", 'some notes...\nmore notes,...\nnumber,text,date\n345.0,TEST4,2000-12-13\n'],
    ['a one-field title above data, not a header', 'Report\nu1,2024-05-01T10:00:00Z,/a\n'],
  ])('%s: none', (_, text) => {
    expect(guess(text).titleLines).toBe(0);
  });

  it('names the columns from the header below the titles, with its delimiter', () => {
    expect(guess('Export of May\n\nuser_id;timestamp;url\nu1;2024-05-01T10:00:00Z;/a\n')).toMatchObject({
      titleLines: 2,
      delimiter: ';',
      header: true,
      fields: ['user_id', 'timestamp', 'url'],
    });
  });
});

describe('sniffFile: quote, line endings, widest line and lines with one delimiter too many', () => {
  it("takes ' for the quote when some first-line fields are wrapped in '…' and none in \"…\"", () => {
    expect(guess("a,'b',c\n1,'x, y',3\n").quote).toBe("'");
    expect(guess('a,\'b\',"c"\n1,2,3\n').quote).toBe('"');
  });

  it('sees mixed CRLF and LF line endings', () => {
    expect(guess('a,b\r\n1,2\n3,4\n').mixedLineEndings).toBe(true);
    expect(guess('a,b\r\n1,2\r\n').mixedLineEndings).toBe(false);
  });

  it('finds the widest line, quote-aware', () => {
    expect(guess('a,b\n1,"2,3",4,5\n').widestInHead).toBe(4);
  });

  it('finds a line with one delimiter too many among regular lines; shifted when the others leave their last field empty', () => {
    const rows = Array.from({ length: 8 }, (_, i) => `u${i},2024-05-01,/p${i},`);
    rows[3] = 'u3,,2024-05-01,/p3,';
    const [line] = guess(`user,time,url,comment\n${rows.join('\n')}\n`).extraDelimiterLines;
    expect(line).toMatchObject({ line: 5, row: 3, shifted: true, fields: ['u3', '', '2024-05-01', '/p3', ''] });
  });

  it('takes a delimiter at the end of one line, where the other lines fill their last field, for harmless', () => {
    const rows = Array.from({ length: 8 }, (_, i) => `u${i},2024-05-01,/p${i}${i === 2 ? ',' : ''}`);
    expect(guess(`user,time,url\n${rows.join('\n')}\n`).extraDelimiterLines.map((l) => [l.line, l.shifted])).toEqual([[4, false]]);
  });

  it('does not flag a delimiter at the end of every line (a style)', () => {
    const rows = Array.from({ length: 8 }, (_, i) => `u${i},2024-05-01,/p${i},`);
    expect(guess(`user,time,url\n${rows.join('\n')}\n`).extraDelimiterLines).toEqual([]);
  });
});
