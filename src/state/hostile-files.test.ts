import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { encodeAs, utf16 } from '../test/legacy-bytes';
import { recordingFile } from '../test/recording-file';
import { inProcessIngest } from '../ingest/row-ingest';
import { readRawTable } from './read-raw-table';
import { MAX_EXTRA_COLUMNS } from './read-delimited';
import { describeOutcome, dropLoaded, expectSoundOutcome, loadThroughApp, messageDefects, type LoadOutcome } from '../test/load-through-app';

/*
 * Generated files a person may drop on the page by mistake or that real exports produce.
 * Each must load with sound accounting or end in a LoadError that names the file. No loader
 * bug found here is open: the lenient read's lost values, the refused title line and the
 * 512 MB limit on re-encoded files were pinned until fixed, and are tested above as the
 * outcomes they should have.
 */

/** A small clickstream: user_id,timestamp,url with one event a minute over 7 users. */
function clickstream(rows: number, header = 'user_id,timestamp,url', url = (i: number) => `/p${i}`): string {
  const lines = [header];
  for (let i = 0; i < rows; i++) {
    lines.push(`u${i % 7},2024-05-01T10:${String(i % 60).padStart(2, '0')}:00Z,${url(i)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The lines of clickstream(rows), header first. */
const clickstreamLines = (rows: number) =>
  clickstream(rows)
    .split('\n')
    .filter((l) => l !== '');

/** Joins lines, ending those at which `crlf` holds with CRLF and the others with LF. */
function joinLines(lines: string[], crlf: (i: number) => boolean = () => false): string {
  return lines.map((l, i) => `${l}${crlf(i) ? '\r\n' : '\n'}`).join('');
}

const utf8 = (text: string) => new TextEncoder().encode(text);

/** One byte per character; every character must be below U+0100. */
function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (ch) => {
    const code = ch.charCodeAt(0);
    if (code > 0xff) throw new Error(`not Latin-1: ${ch}`);
    return code;
  });
}

/** Deterministic bytes (a linear congruential generator), so a failure can be replayed. */
function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

function wideClickstream(columns: number, userAt: number, timestampAt: number, rows: number): string {
  const names = Array.from({ length: columns }, (_, i) => (i === userAt ? 'user_id' : i === timestampAt ? 'timestamp' : `c${i}`));
  const lines = [names.join(',')];
  for (let r = 0; r < rows; r++) {
    lines.push(names.map((_, i) => (i === userAt ? `u${r % 3}` : i === timestampAt ? `2024-05-01T10:0${r}:00Z` : `${i}`)).join(','));
  }
  return `${lines.join('\n')}\n`;
}

const MB = 1 << 20;

/** False under Node versions whose TextDecoder reads windows-1252 as ISO-8859-1 (nodejs/node#60888). */
const WINDOWS_1252_PER_WHATWG = new TextDecoder('windows-1252').decode(Uint8Array.of(0x93, 0x80)) === '“€';

let engine: NodeEngine;
let nextId = 1;
const outcomes = new Map<string, string>();

beforeAll(async () => {
  engine = await createNodeEngine();
});

afterAll(() => {
  engine?.close();
  console.log(['hostile files:', ...[...outcomes].map(([name, outcome]) => `  ${name.padEnd(28)} ${outcome.replace(/\s+/g, ' ').slice(0, 160)}`)].join('\n'));
});

/** Loads through the app, checks the outcome is sound, runs `check` on it, frees its tables. */
async function load(name: string, data: Uint8Array, check: (outcome: LoadOutcome, id: number) => Promise<void> | void, on: NodeEngine = engine): Promise<void> {
  const id = nextId++;
  const outcome = await loadThroughApp(on, name, data, id);
  outcomes.set(name, describeOutcome(outcome));
  try {
    expectSoundOutcome(outcome, name);
    await check(outcome, id);
  } finally {
    await dropLoaded(on, id);
  }
}

function loaded(outcome: LoadOutcome): Extract<LoadOutcome, { ok: true }> {
  if (!outcome.ok) throw new Error(`expected the file to load, got: ${outcome.error.message.slice(0, 300)}`);
  return outcome;
}

function failed(outcome: LoadOutcome): Extract<LoadOutcome, { ok: false }> {
  if (outcome.ok) throw new Error(`expected a LoadError, got: ${describeOutcome(outcome)}`);
  return outcome;
}

async function cell(table: string, column: string, row: number): Promise<string | null> {
  const [found] = await engine.query<{ v: string | null }>(`SELECT "${column}" AS v FROM "${table}" WHERE rowid = ${row}`);
  return found?.v ?? null;
}

/** clickstream(rows) read whole: its columns and mapping, every row an event, none set aside, first and last row in place. */
async function expectWholeClickstream(ok: Extract<LoadOutcome, { ok: true }>, rows: number, users: number): Promise<void> {
  expect(ok.raw.columns).toEqual(['user_id', 'timestamp', 'url']);
  expect(ok.mapping).toMatchObject({ user: 'user_id', timestamp: 'timestamp', url: 'url', format: 'iso' });
  expect(ok.events.figures).toMatchObject({ rowsRead: rows, events: rows, skipped: 0, users });
  expect(ok.raw.rejected).toBe(0);
  expect(await cell(ok.raw.table, 'user_id', 0)).toBe('u0');
  expect(await cell(ok.raw.table, 'url', rows - 1)).toBe(`/p${rows - 1}`);
}

describe('hostile files', () => {
  it('an empty file is refused as empty', async () => {
    await load('empty.csv', new Uint8Array(0), (outcome) => {
      expect(failed(outcome).error.problem).toMatch(/empty \(0 bytes\)/);
    });
  }, 20_000);

  it('a header-only file names its header and says there are no data rows', async () => {
    await load('header-only.csv', utf8('user_id,timestamp,url\n'), (outcome) => {
      expect(failed(outcome).error.problem).toBe('has a header ("user_id", "timestamp", "url") but no data rows.');
    });
  }, 20_000);

  it('a ZIP archive renamed .csv is named as such, with what to do', async () => {
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...pseudoRandomBytes(200, 3)]);
    await load('workbook.csv', zip, (outcome) => {
      expect(failed(outcome).error.problem).toMatch(/ZIP archive.*export it as CSV first/);
    });
  }, 20_000);

  it('a Latin-1 clickstream loads, with a note that it was read as Windows-1252 / Latin-1', async () => {
    const text = clickstream(20, 'user_id,timestamp,url', (i) => (i === 3 ? '/café/größe' : `/p${i}`));
    await load('latin1.csv', latin1(text), async (outcome) => {
      const ok = loaded(outcome);
      expect(ok.mapping).toMatchObject({ user: 'user_id', timestamp: 'timestamp', url: 'url', format: 'iso' });
      expect(ok.events.figures).toMatchObject({ rowsRead: 20, events: 20, skipped: 0, users: 7 });
      expect(ok.notes.join(' ')).toMatch(/read as Windows-1252 \/ Latin-1\. If accented letters look wrong, save it as UTF-8/);
      // The first byte UTF-8 does not allow is in data row 4, below the header: line 5.
      expect(ok.notes.join(' ')).toMatch(/^The file is not valid UTF-8 \(line 5 is the first with a byte UTF-8 does not allow\)/);
      expect(await cell(ok.raw.table, 'url', 3)).toBe('/café/größe');
    });
  }, 20_000);

  it('a UTF-16LE clickstream with a BOM loads, with a note', async () => {
    const text = clickstream(20, 'user_id,timestamp,url', (i) => (i === 3 ? '/café' : `/p${i}`));
    await load('utf16le.csv', utf16(text, true), async (outcome) => {
      const ok = loaded(outcome);
      expect(ok.mapping).toMatchObject({ user: 'user_id', timestamp: 'timestamp', url: 'url' });
      expect(ok.events.figures).toMatchObject({ rowsRead: 20, events: 20, skipped: 0 });
      expect(ok.notes.join(' ')).toMatch(/UTF-16/);
      expect(await cell(ok.raw.table, 'url', 3)).toBe('/café');
    });
  }, 20_000);

  it('a NUL byte inside one value of a clickstream: every row loads, the value kept', async () => {
    const text = clickstream(200, 'user_id,timestamp,url', (i) => (i === 3 ? '/a\u0000b' : `/p${i}`));
    await load('nul-in-value.csv', utf8(text), async (outcome) => {
      const ok = loaded(outcome);
      expect(ok.events.figures).toMatchObject({ rowsRead: 200, events: 200, skipped: 0 });
      expect(await cell(ok.raw.table, 'url', 3)).toBe('/a\u0000b');
    });
  }, 20_000);

  it('a 1 MB value on one line loads whole', async () => {
    const long = `/${'x'.repeat(MB)}`;
    await load('long-value.csv', utf8(clickstream(5, 'user_id,timestamp,url', (i) => (i === 2 ? long : `/p${i}`))), async (outcome) => {
      const ok = loaded(outcome);
      expect(ok.events.figures).toMatchObject({ rowsRead: 5, events: 5, skipped: 0 });
      expect((await cell(ok.raw.table, 'url', 2))?.length).toBe(long.length);
    });
  }, 20_000);

  it('one line with 2,000 fields under a 3-column header is set aside, not given 2,000 columns', async () => {
    const lines = clickstream(200).trimEnd().split('\n');
    lines.splice(101, 0, `u1,2024-05-01T10:00:00Z,${Array.from({ length: 2_000 }, (_, i) => `x${i}`).join(',')}`);
    await load('one-wide-line.csv', utf8(`${lines.join('\n')}\n`), (outcome) => {
      const ok = loaded(outcome);
      // Widening stops at MAX_EXTRA_COLUMNS more than the header; the line is a malformed line, listed.
      expect(ok.raw.columns.length).toBeLessThanOrEqual(3 + MAX_EXTRA_COLUMNS);
      expect(ok.events.figures).toMatchObject({ rowsRead: 201, events: 200, skipped: 1 });
      expect(ok.raw.rejectedExamples.map((r) => r.line)).toEqual([102]);
      expect(ok.notes.join(' ')).toMatch(/the widest has 2,002\): lines with more than 67 fields are set aside/);
    });
  }, 60_000);

  // DuckDB's read_csv spends time in the square of an over-wide line's fields (one error per
  // field past its columns, each with the line's text): 30,000 fields took minutes. Such lines
  // are cut before DuckDB reads the file and set aside with their line numbers.
  for (const fields of [30_000, 300_000]) {
    it(`one line with ${fields.toLocaleString('en-US')} fields in a clickstream: set aside with its line number, every other row loaded`, async () => {
      const lines = clickstream(200).trimEnd().split('\n');
      lines.splice(101, 0, `u1,2024-05-01T10:00:00Z,${Array.from({ length: fields - 2 }, (_, i) => `x${i}`).join(',')}`);
      await load(`wide-${fields}.csv`, utf8(`${lines.join('\n')}\n`), async (outcome) => {
        const ok = loaded(outcome);
        expect(ok.raw.columns).toEqual(['user_id', 'timestamp', 'url']);
        expect(ok.events.figures).toMatchObject({ rowsRead: 201, events: 200, skipped: 1, users: 7 });
        expect(ok.raw.rejectedExamples.map((r) => r.line)).toEqual([102]);
        expect(ok.raw.rejectedExamples[0]?.message).toContain(`Found: ${fields}`);
        expect(ok.notes.join(' ')).toContain(`the widest has ${fields.toLocaleString('en-US')}): lines with more than 67 fields are set aside`);
        expect(await cell(ok.raw.table, 'url', 101)).toBe('/p101');
      });
    }, 60_000);
  }

  it('wide lines among quoted values and CRLF endings: each set aside with its own line number', async () => {
    const lines = clickstream(300)
      .trimEnd()
      .split('\n')
      .map((l, i) => (i > 0 && i % 50 === 0 ? l.replace(/,(\/p\d+)$/, ',"$1,\r\nnext"') : l));
    const wide = (k: number) => `u${k},2024-05-01T10:00:00Z,${Array.from({ length: 5_000 }, (_, i) => `"y,${i}"`).join(',')}`;
    lines.splice(60, 0, wide(1));
    lines.splice(200, 0, wide(2));
    // Rows 50, 100 and 150 hold a quoted line break: the wide lines start file lines 62 and 204.
    await load('wide-quoted.csv', utf8(`${lines.join('\r\n')}\r\n`), (outcome) => {
      const ok = loaded(outcome);
      expect(ok.raw.columns).toEqual(['user_id', 'timestamp', 'url']);
      expect(ok.events.figures).toMatchObject({ rowsRead: 302, events: 300, skipped: 2 });
      expect(ok.raw.rejectedExamples.map((r) => r.line)).toEqual([62, 204]);
      expect(ok.raw.rejectedExamples[1]?.message).toContain('Found: 5002');
    });
  }, 60_000);

  it('every line after the header 5,000 fields wide: refused, naming line 2 and the delimiter to check', async () => {
    const rows = Array.from({ length: 2_000 }, (_, r) => Array.from({ length: 5_000 }, (_, i) => `${r}.${i}`).join(','));
    await load('all-wide.csv', utf8(`user_id,timestamp,url\n${rows.join('\n')}\n`), (outcome) => {
      const error = failed(outcome).error;
      expect(error.message).toMatch(/^all-wide\.csv: more than 1,000 lines have more than 67 fields where the header has 3 \(line 2 has 5,000\)/);
      expect(error.message).toContain('delimiter is ","');
    });
  }, 60_000);

  it('a few lines after the header, all 5,000 fields wide: refused, naming line 2', async () => {
    const rows = Array.from({ length: 20 }, (_, r) => Array.from({ length: 5_000 }, (_, i) => `${r}.${i}`).join(','));
    await load('few-wide.csv', utf8(`user_id,timestamp,url\n${rows.join('\n')}\n`), (outcome) => {
      expect(failed(outcome).error.message).toMatch(/no line could be split into the file's columns \(line 2: Expected Number of Columns: 3 Found: 5000/);
    });
  }, 60_000);

  it('5,000 columns with user_id and timestamp among the first 300 load', async () => {
    await load('wide-early.csv', utf8(wideClickstream(5000, 10, 20, 10)), (outcome) => {
      const ok = loaded(outcome);
      expect(ok.raw.columns).toHaveLength(5000);
      expect(ok.mapping).toMatchObject({ user: 'user_id', timestamp: 'timestamp' });
      expect(ok.events.figures).toMatchObject({ rowsRead: 10, events: 10, users: 3 });
    });
  }, 20_000);

  it('duplicate header names load; the copy gets a suffix, the first keeps its name', async () => {
    const text = 'user_id,timestamp,user_id,url\nu1,2024-05-01T10:00:00Z,x,/a\nu2,2024-05-01T10:01:00Z,y,/b\n';
    await load('duplicate-header.csv', utf8(text), (outcome) => {
      const ok = loaded(outcome);
      // The page's column pickers cannot offer the header text for both: the copy is
      // "user_id_1" (DuckDB's renaming), which a person can still tell apart.
      expect(ok.raw.columns).toEqual(['user_id', 'timestamp', 'user_id_1', 'url']);
      expect(ok.mapping).toMatchObject({ user: 'user_id', timestamp: 'timestamp', url: 'url' });
      expect(ok.events.figures).toMatchObject({ rowsRead: 2, events: 2, users: 2 });
    });
  }, 20_000);

  it('a file whose every timestamp is unreadable is refused, naming the timestamp column', async () => {
    const text = 'user_id,timestamp,url\nu1,yesterday,/a\nu2,soon,/b\nu3,n/a,/c\nu4,,/d\n';
    await load('unreadable-timestamps.csv', utf8(text), (outcome) => {
      const { problem } = failed(outcome).error;
      expect(problem).toContain('"timestamp"');
      expect(problem).toMatch(/no column holds readable timestamps/);
      expect(problem).toMatch(/Expected ISO 8601/);
    });
  }, 20_000);

  it("random binary bytes are refused as not text, in the app's own words", async () => {
    // 4 KB of random bytes: 10% are control bytes, over sniffFile's 5% rule.
    await load('random.csv', pseudoRandomBytes(4096, 1), (outcome) => {
      const { error } = failed(outcome);
      expect(error.problem).toBe('cannot be read as a clickstream: it looks binary, not text (10% of its first 4096 bytes are control characters).');
      expect(messageDefects(error)).toEqual([]);
    });
  }, 20_000);

  it('a Windows-1252 clickstream (curly quotes, euro sign: bytes 0x80-0x9F) loads, with the Windows-1252 / Latin-1 note', async () => {
    const text = clickstream(20, 'user_id,timestamp,url', (i) => (i === 3 ? '/“q” €5' : `/p${i}`));
    const cp1252 = new Map([
      ['“', 0x93],
      ['”', 0x94],
      ['€', 0x80],
    ]);
    const bytes = Uint8Array.from(text, (ch) => cp1252.get(ch) ?? ch.charCodeAt(0));
    await load('windows-1252.csv', bytes, async (outcome) => {
      const ok = loaded(outcome);
      expect(ok.mapping).toMatchObject({ user: 'user_id', timestamp: 'timestamp', url: 'url', format: 'iso' });
      expect(ok.events.figures).toMatchObject({ rowsRead: 20, events: 20, skipped: 0, users: 7 });
      expect(ok.notes.join(' ')).toMatch(/read as Windows-1252 \/ Latin-1/);
      // The loader decodes with TextDecoder('windows-1252'), which browsers implement per
      // WHATWG (0x93 -> “, 0x80 -> €). Node 20.18.3 and later decode 0x80-0x9F as C1
      // control characters instead (nodejs/node#60888), so under such a Node the test
      // can only check that the bytes went through that decoder.
      expect(await cell(ok.raw.table, 'url', 3)).toBe(WINDOWS_1252_PER_WHATWG ? '/“q” €5' : '/\u0093q\u0094 \u00805');
    });
  }, 20_000);

  it('a UTF-16BE clickstream with a BOM loads, with a note that names big-endian', async () => {
    const text = clickstream(20, 'user_id,timestamp,url', (i) => (i === 3 ? '/café' : `/p${i}`));
    await load('utf16be.csv', utf16(text, false), async (outcome) => {
      const ok = loaded(outcome);
      expect(ok.raw.columns).toEqual(['user_id', 'timestamp', 'url']);
      expect(ok.mapping).toMatchObject({ user: 'user_id', timestamp: 'timestamp', url: 'url', format: 'iso' });
      expect(ok.events.figures).toMatchObject({ rowsRead: 20, events: 20, skipped: 0, users: 7 });
      expect(ok.notes.join(' ')).toMatch(/UTF-16 \(big-endian\)/);
      expect(await cell(ok.raw.table, 'url', 3)).toBe('/café');
    });
  }, 20_000);

  it('a NUL byte in a small file: loads like the same NUL in a 200-row file, the value kept', async () => {
    const data = utf8(clickstream(2, 'user_id,timestamp,url', (i) => (i === 1 ? '/a\u0000b' : `/p${i}`)));
    expect(data.length).toBeLessThan(100);
    await load('nul-small.csv', data, async (outcome) => {
      const ok = loaded(outcome);
      expect(ok.events.figures).toMatchObject({ rowsRead: 2, events: 2, skipped: 0 });
      expect(await cell(ok.raw.table, 'url', 1)).toBe('/a\u0000b');
    });
  }, 20_000);

  it('a NUL byte in a header name: the column is shown with U+FFFD in its place, a note says so, and every row loads', async () => {
    await load('nul-in-header.csv', utf8(clickstream(200, 'user_id,times\u0000tamp,url')), async (outcome) => {
      const ok = loaded(outcome);
      expect(ok.raw.columns).toEqual(['user_id', 'times\uFFFDtamp', 'url']);
      // Not named "timestamp" any more: found by its values.
      expect(ok.mapping).toMatchObject({ user: 'user_id', timestamp: 'times\uFFFDtamp', url: 'url', format: 'iso' });
      expect(ok.events.figures).toMatchObject({ rowsRead: 200, events: 200, skipped: 0, users: 7 });
      expect(ok.notes.join(' ')).toMatch(/column names held control characters; they are shown with \uFFFD in their place/);
      expect(await cell(ok.raw.table, 'times\uFFFDtamp', 0)).toBe('2024-05-01T10:00:00Z');
    });
  }, 20_000);

  it('1 MB on a single line without a newline: refused, the header name cut to 40 characters', async () => {
    await load('one-line.csv', utf8('x'.repeat(MB)), (outcome) => {
      const { error } = failed(outcome);
      expect(error.problem).toBe(`has a header ("${'x'.repeat(39)}…") but no data rows.`);
      expect(messageDefects(error)).toEqual([]);
    });
  }, 20_000);

  it('5,000 columns with user_id at column 2,501 and timestamp at 4,001: found by their names', async () => {
    await load('wide-late.csv', utf8(wideClickstream(5000, 2500, 4000, 10)), (outcome) => {
      const ok = loaded(outcome);
      expect(ok.raw.columns).toHaveLength(5000);
      expect(ok.mapping).toMatchObject({ user: 'user_id', timestamp: 'timestamp' });
      expect(ok.events.figures).toMatchObject({ rowsRead: 10, events: 10, skipped: 0, users: 3 });
    });
  }, 20_000);

  it("a title line above the header is skipped: every row loads under the header's names", async () => {
    await load('title-line.csv', utf8(`Clickstream export, generated 2024-05-02\n${clickstream(50)}`), (outcome) => {
      const ok = loaded(outcome);
      expect(ok.raw.columns).toEqual(['user_id', 'timestamp', 'url']);
      expect(ok.mapping).toMatchObject({ user: 'user_id', timestamp: 'timestamp', url: 'url', format: 'iso' });
      expect(ok.events.figures).toMatchObject({ rowsRead: 50, events: 50, skipped: 0, users: 7 });
      // Since 4388f37 the skipped line is no longer silent.
      expect(ok.notes).toContain('The first line of the file, above the header, was skipped: it is not part of the table (a title or comments).');
    });
  }, 20_000);

  it('a CRLF header above LF and CRLF rows (mixed line endings): every row loads', async () => {
    const text = joinLines(clickstreamLines(6), (i) => i === 0 || i % 2 === 1);
    await load('mixed-eol.csv', utf8(text), (outcome) => {
      const ok = loaded(outcome);
      expect(ok.raw.columns).toEqual(['user_id', 'timestamp', 'url']);
      expect(ok.events.figures).toMatchObject({ rowsRead: 6, events: 6, skipped: 0 });
    });
  }, 20_000);

  it('a quoted clickstream with a CRLF header and LF rows: every row loads, unquoted, read leniently with its note', async () => {
    // Fixed by 7535df6 (a regression of 2da2960, which refused it with "no line could be
    // split", blaming line 2). The reads with named columns take CRLF from the first line as
    // the line break, so to them the LF rows are one long line and they keep no row; the
    // lenient last resort, skipped then because such a read had 3 columns, now runs whenever
    // no read kept a row. Seen in the corpus as
    // csvlint.rb/features/fixtures/inconsistent-line-endings.csv.
    const quoted = clickstreamLines(6).map((l) =>
      l
        .split(',')
        .map((f) => `"${f}"`)
        .join(','),
    );
    await load('crlf-header-quoted.csv', utf8(joinLines(quoted, (i) => i === 0)), async (outcome) => {
      const ok = loaded(outcome);
      await expectWholeClickstream(ok, 6, 6);
      expect(ok.notes).toEqual(['The file could only be read leniently (its lines end in both CR LF and LF).']);
    });
  }, 20_000);

  it("a trailing comma on every data row: every row loads under the header's names", async () => {
    const [header = '', ...rows] = clickstreamLines(20);
    const text = joinLines([header, ...rows.map((l) => `${l},`)]);
    await load('trailing-comma.csv', utf8(text), (outcome) => {
      const ok = loaded(outcome);
      expect(ok.raw.columns).toEqual(['user_id', 'timestamp', 'url']);
      expect(ok.mapping).toMatchObject({ user: 'user_id', timestamp: 'timestamp', url: 'url' });
      expect(ok.events.figures).toMatchObject({ rowsRead: 20, events: 20, skipped: 0, users: 7 });
    });
  }, 20_000);

  it('a headerless clickstream with mixed CRLF/LF line endings: every row loads under column0…column2', async () => {
    // Fixed by 4388f37: the RFC 4180 retry takes the header guess of the first line (a
    // timestamp in it: no header), so the first event no longer names the columns. As the
    // same rows with LF only.
    const text = joinLines(clickstreamLines(6).slice(1), (i) => i % 2 === 1);
    await load('headerless-mixed-eol.csv', utf8(text), async (outcome) => {
      const ok = loaded(outcome);
      expect(ok.raw.columns).toEqual(['column0', 'column1', 'column2']);
      expect(ok.mapping).toMatchObject({ user: 'column0', timestamp: 'column1', format: 'iso' });
      expect(ok.events.figures).toMatchObject({ rowsRead: 6, events: 6, skipped: 0, users: 6 });
      expect(await cell(ok.raw.table, 'column0', 0)).toBe('u0');
      expect(await cell(ok.raw.table, 'column2', 5)).toBe('/p5');
    });
  }, 20_000);

  it('header names in messages are cut between code points: an emoji is kept whole, never halved', async () => {
    // Fixed by 4388f37 (listColumns cut at 39 UTF-16 units, which kept the duck's high
    // surrogate alone, shown as \uFFFD). 38 letters, a duck and "b" are 40 code points:
    // shown whole.
    await load('cut-emoji.csv', utf8(`${'a'.repeat(38)}🦆b,timestamp\n`), (outcome) => {
      expect(failed(outcome).error.problem).toBe(`has a header ("${'a'.repeat(38)}🦆b", "timestamp") but no data rows.`);
    });
    // 41 code points: cut after the 39th, the duck, whose two units stay together.
    await load('cut-emoji-41.csv', utf8(`${'a'.repeat(38)}🦆bc,timestamp\n`), (outcome) => {
      const { problem } = failed(outcome).error;
      expect(problem).toBe(`has a header ("${'a'.repeat(38)}🦆…", "timestamp") but no data rows.`);
      // No lone surrogate anywhere in the message.
      expect(problem).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    });
  }, 20_000);

  it('a 1 MB single line of short fields: refused before DuckDB reads it, the message saying "more than" the fields counted', async () => {
    // Fixed by 286d108 (before, the messages counted the fields of the first 64 KB only,
    // "about 21,846" for 350,001 fields and "already 6,554" for 100,001, which read as fewer
    // than the 10,000 allowed). A first line over 10,000 fields within 64 KB is refused at
    // once, "more than" the fields there; one that does not end within 64 KB is read on, up
    // to 4 MB, and counted whole. (The second line ends with the file, so it has exactly
    // 100,001 fields: "more than" is said of every first line without a line break, a nit.)
    // Own engine, in case a check stops firing (before e2abc23 DuckDB ran out of memory at
    // 3 GiB on the first file).
    const own = await createNodeEngine();
    try {
      await load(
        'wide-line.csv',
        utf8('ab,'.repeat(350_000)),
        (outcome) => {
          const { error } = failed(outcome);
          expect(error.problem).toBe(
            'cannot be read as a clickstream: its first line has more than 21,846 fields; at most 10,000 columns can be loaded in the browser.',
          );
          expect(messageDefects(error)).toEqual([]);
        },
        own,
      );
      await load(
        'wide-line-10-byte-fields.csv',
        utf8('abcdefghi,'.repeat(100_000)),
        (outcome) => {
          const { error } = failed(outcome);
          expect(error.problem).toBe(
            'cannot be read as a clickstream: its first line has more than 100,001 fields; at most 10,000 columns can be loaded in the browser.',
          );
          expect(messageDefects(error)).toEqual([]);
        },
        own,
      );
    } finally {
      own.close();
    }
  }, 30_000);

  it('a header of 2,000 columns longer than 64 KB loads: the first line is read on until it ends', async () => {
    // Fixed by 286d108 (a regression of 4388f37, which refused any first line not ending
    // within 64 KB once it held over 1,000 fields). 2,000 columns named by 40 characters
    // make an 80 KB header line.
    const names = Array.from({ length: 2000 }, (_, i) =>
      i === 1 ? 'user_id' : i === 2 ? 'timestamp' : `column_with_a_long_descriptive_name_${String(i).padStart(4, '0')}`,
    );
    expect(names[3]).toHaveLength(40);
    const rows = Array.from({ length: 10 }, (_, r) => names.map((_, i) => (i === 1 ? `u${r % 3}` : i === 2 ? `2024-05-01T10:0${r}:00Z` : `${i}`)).join(','));
    const text = `${[names.join(','), ...rows].join('\n')}\n`;
    expect(text.indexOf('\n')).toBeGreaterThan(64 * 1024);
    await load('wide-long-names.csv', utf8(text), async (outcome) => {
      const ok = loaded(outcome);
      expect(ok.raw.columns).toEqual(names);
      expect(ok.mapping).toMatchObject({ user: 'user_id', timestamp: 'timestamp', format: 'iso' });
      expect(ok.events.figures).toMatchObject({ rowsRead: 10, events: 10, skipped: 0, users: 3 });
      expect(ok.raw.rejected).toBe(0);
      expect(await cell(ok.raw.table, names[1999] ?? '', 9)).toBe('1999');
    });
  }, 20_000);

  it('a blank line above the header: the header is read once and every row loads under its names', async () => {
    // Fixed by 286d108, which no longer passes skip = 0: with it, header = true and a blank
    // first line, DuckDB 1.4.3 took the names from line 2 and read line 2 again as the
    // first data row (see "a blank line above the header, then rows with an extra field").
    await load('blank-line-above-header-clean.csv', utf8(`\n${clickstream(8)}`), async (outcome) => {
      await expectWholeClickstream(loaded(outcome), 8, 7);
    });
  }, 20_000);
  /*
   * Lines with more fields than the header. Fixed by 2da2960: the header's names, then
   * column{n} for the extra values, every line a row, with a note naming the extra columns.
   * 286d108 set those lines aside as malformed (counted, but their events lost) and refused
   * a file whose every data row had the extra field; 4388f37 kept the lines cut to the
   * header's fields, the extra values dropped without a note.
   */
  const extraColumnNote = 'Some lines have more fields than the header; their extra values are kept in an extra column (column3).';
  /** clickstreamLines(rows), ",x" appended to the data rows from `firstExtra` (0-based) on. */
  const extraFrom = (rows: number, firstExtra: number) => joinLines(clickstreamLines(rows).map((l, i) => (i > firstExtra ? `${l},x` : l)));
  const extraFieldCases: { title: string; file: string; text: string; rows: number; firstExtra: number }[] = [
    // Before 4388f37 (e2abc23) sniff_csv's dialect won here (skip 13 lines, no header): the
    // header and the first 12 rows vanished; 286d108 kept 12 events and set 20 lines aside.
    {
      title: '12 rows, then 20 rows with one extra field: all 32 load under the header\'s names, "x" in column3, with a note',
      file: 'late-extra-field.csv',
      text: extraFrom(32, 12),
      rows: 32,
      firstExtra: 12,
    },
    // A header that does not name the last column, common in exports. 286d108 refused the
    // file ("no line could be split into the file's columns"). Native read_csv() reads
    // column0…column3, the header line skipped. The corpus has it as
    // duckdb/data/csv/locations_row_trailing_comma.csv.
    {
      title: "every data row has one value more than the header: every row loads under the header's names, the extra value in column3, with a note",
      file: 'every-row-extra-field.csv',
      text: extraFrom(20, 0),
      rows: 20,
      firstExtra: 0,
    },
    // 4388f37 cut the 5 rows to 3 fields without a note; 286d108 set them aside (3 events).
    {
      title: 'rows with one extra field after 3 without: all 8 load, the extra values in column3, with a note',
      file: 'late-extra-field-short.csv',
      text: extraFrom(8, 3),
      rows: 8,
      firstExtra: 3,
    },
    // 4388f37 read the header line twice (rowsRead 9 for 8 rows); 286d108 read it once but
    // set the 5 longer rows aside. The read with named columns skips the blank line and
    // takes line 2 as the header; no line is said to be skipped above it (the blank one is
    // not a title). The corpus has it as duckdb/data/csv/inconsistent_cells.csv.
    {
      title: 'a blank line above the header, then rows with an extra field: the header read once, all 8 rows load, the extra values in column3',
      file: 'blank-line-above-header.csv',
      text: `\n${extraFrom(8, 3)}`,
      rows: 8,
      firstExtra: 3,
    },
  ];
  for (const { title, file, text, rows, firstExtra } of extraFieldCases) {
    it(title, async () => {
      await load(file, utf8(text), async (outcome) => {
        const ok = loaded(outcome);
        expect(ok.raw.columns).toEqual(['user_id', 'timestamp', 'url', 'column3']);
        expect(ok.mapping).toMatchObject({ user: 'user_id', timestamp: 'timestamp', url: 'url', format: 'iso' });
        expect(ok.events.figures).toMatchObject({ rowsRead: rows, events: rows, skipped: 0, users: 7 });
        expect(ok.raw.rejected).toBe(0);
        // Every row in file order, "x" in column3 from the first longer line on.
        const table = await engine.query<Record<string, string | null>>(`SELECT user_id, url, column3 FROM "${ok.raw.table}" ORDER BY rowid`);
        expect(table).toEqual(Array.from({ length: rows }, (_, i) => ({ user_id: `u${i % 7}`, url: `/p${i}`, column3: i >= firstExtra ? 'x' : null })));
        expect(ok.notes).toEqual([extraColumnNote]);
      });
    }, 20_000);
  }

  it('header names with a space after each comma are trimmed ("timestamp"), whether or not a line has an extra field', async () => {
    // Fixed by 7535df6: the read with named columns (which wins when a line has an extra
    // field) trims the names from the first line, as DuckDB's sniffer does for every other
    // read; 2da2960 kept them as written (" timestamp"). So a file's columns no longer
    // depend on which read wins, which matters wherever columns are matched by name (a file
    // appended later, a mapping chosen before). Seen in the corpus as multiple_errors.csv.
    const header = 'user_id, timestamp, url';
    const text = joinLines(
      clickstream(8, header)
        .split('\n')
        .filter((l) => l !== '')
        .map((l, i) => (i === 6 ? `${l},x` : l)),
    );
    await load('spaced-header-extra-field.csv', utf8(text), async (outcome) => {
      const ok = loaded(outcome);
      expect(ok.raw.columns).toEqual(['user_id', 'timestamp', 'url', 'column3']);
      expect(ok.mapping).toMatchObject({ user: 'user_id', timestamp: 'timestamp', url: 'url', format: 'iso' });
      expect(ok.events.figures).toMatchObject({ rowsRead: 8, events: 8, skipped: 0 });
      expect(await cell(ok.raw.table, 'column3', 5)).toBe('x');
      expect(ok.notes).toEqual([extraColumnNote]);
    });
    await load('spaced-header.csv', utf8(clickstream(8, header)), (outcome) => {
      expect(loaded(outcome).raw.columns).toEqual(['user_id', 'timestamp', 'url']);
    });
  }, 20_000);

  it('a line missing a delimiter is set aside as malformed, counted and shown with its line number; the other rows load', async () => {
    // "2024-05-01T10:04:00Z,u1 /p4" has 2 fields for 3. 2da2960 kept it padded, its values
    // shifted (user_id "u1 /p4", a made-up fourth user, url NULL), nothing set aside and no
    // note. Fixed by 090c278: null_padding only for a header widened to a longer line, so a
    // shorter line is set aside as 286d108 did. The corpus has it as
    // row_less_sep_row10_col3.csv.
    const lines = ['timestamp,user_id,url', ...Array.from({ length: 8 }, (_, i) => `2024-05-01T10:0${i}:00Z,u${i % 3}${i === 4 ? ' ' : ','}/p${i}`)];
    await load('missing-delimiter.csv', utf8(joinLines(lines)), async (outcome) => {
      const ok = loaded(outcome);
      expect(ok.raw.columns).toEqual(['timestamp', 'user_id', 'url']);
      expect(ok.mapping).toMatchObject({ user: 'user_id', timestamp: 'timestamp', url: 'url', format: 'iso' });
      expect(ok.events.figures).toMatchObject({ rowsRead: 8, events: 7, skipped: 1, users: 3 });
      expect(ok.raw.rejected).toBe(1);
      expect(ok.raw.rejectedExamples.map((r) => [r.line, r.message, r.text])).toEqual([
        [6, 'Expected Number of Columns: 3 Found: 2', '2024-05-01T10:04:00Z,u1 /p4'],
      ]);
      const users = await engine.query<{ u: string }>(`SELECT DISTINCT user_id AS u FROM "${ok.raw.table}" ORDER BY u`);
      expect(users.map((r) => r.u)).toEqual(['u0', 'u1', 'u2']);
      expect(await cell(ok.raw.table, 'url', 4)).toBe('/p5');
      expect(ok.notes).toEqual([]);
    });
  }, 20_000);
});

describe('hostile files: encodings', () => {
  it('a Shift_JIS clickstream loads, converted, with a note that it is not UTF-8 naming the first line with a byte UTF-8 does not allow', async () => {
    const text = clickstream(20, 'user_id,timestamp,url,名前', (i) => `/p${i},${i === 3 ? '山田太郎' : 'すずき'}`);
    await load('shift-jis.csv', encodeAs('shift_jis', text), async (outcome) => {
      const ok = loaded(outcome);
      expect(ok.raw.columns).toEqual(['user_id', 'timestamp', 'url', '名前']);
      expect(ok.events.figures).toMatchObject({ rowsRead: 20, events: 20, skipped: 0, users: 7 });
      expect(ok.notes).toContain(
        'The file is not UTF-8 (line 1 is the first with a byte UTF-8 does not allow): it was read as Shift_JIS (Japanese) and converted to UTF-8. If the text looks wrong, save it as UTF-8 and load it again.',
      );
      expect(await cell(ok.raw.table, '名前', 3)).toBe('山田太郎');
    });
  }, 20_000);

  it('a Korean (EUC-KR) clickstream is refused: not UTF-8, the first bad line named, and what to do', async () => {
    const text = clickstream(20, 'user_id,timestamp,url', (i) => (i === 4 ? '/김철수' : `/p${i}`));
    await load('euc-kr.csv', encodeAs('euc-kr', text), (outcome) => {
      const { error } = failed(outcome);
      expect(error.problem).toMatch(
        /^cannot be read as a clickstream: it is not UTF-8 \(line 6 is the first with a byte UTF-8 does not allow\), and its bytes look like a Chinese, Japanese or Korean encoding \(.*EUC-KR.*\) that cannot be told apart with confidence\. Save it as UTF-8 \(in Excel: Save As, "CSV UTF-8"\) and load it again\.$/,
      );
      expect(messageDefects(error)).toEqual([]);
    });
  }, 20_000);

  it('a Latin-1 file is re-encoded in slices, never read whole: files over 512 MB are no longer refused (regression of e2abc23, fixed)', async () => {
    // e2abc23 re-encoded Windows-1252 / Latin-1 and UTF-16 files in memory and so refused
    // those over 512 MB. The re-encoding now streams into a File made of per-slice Blobs
    // (src/ingest/transcode.ts), so such a file has the size limit of a UTF-8 one. Checked
    // here on 17 MB read through a File that records what is read of it; 600 MB is measured
    // in the browser by scripts/measure-transcode.mjs.
    const rows = 550_000;
    const text = clickstream(rows, 'user_id,timestamp,url', (i) => (i % 10 === 3 ? '/café' : `/p${i}`));
    const { file, reads } = recordingFile(new Uint8Array(latin1(text)), 'big-latin1.csv');
    expect(file.size).toBeGreaterThan(16 * MB);
    const id = nextId++;
    try {
      const raw = await readRawTable(engine, { name: file.name, size: file.size, data: file }, id, inProcessIngest);
      expect(raw).toMatchObject({ columns: ['user_id', 'timestamp', 'url'], rowsRead: rows, rejected: 0 });
      expect(await cell(raw.table, 'url', 3)).toBe('/café');
      expect(Math.max(...reads)).toBeLessThanOrEqual(8 * MB);
    } finally {
      await dropLoaded(engine, id);
    }
  }, 60_000);
});

/*
 * Loader bugs found by the cases above, reported to the loader's owner. Each test pins what
 * happens today and says in its name and comment what should happen; when a bug is fixed
 * its test fails, and is to be turned into the desired outcome. "Regression" marks an
 * outcome that was better before the loader change it names.
 */
describe('structurally odd files (fixed loader bugs)', () => {
  it('mixed line endings and rows with an extra field: read leniently, every value kept, the extra ones in column3', async () => {
    // Was a pinned bug until the lenient read was widened: every strict read fails on the
    // mixed CRLF/LF line endings, and the lenient last resort cut the 5 lines of 4 fields to
    // 3, "x" in no column, under a note that said only that values "would have" been lost.
    // The lenient read now has a column more than the widest line seen, so "x" is kept in
    // column3, and its note no longer claims anything about lost values.
    const text = joinLines(
      clickstreamLines(8).map((l, i) => (i > 3 ? `${l},x` : l)),
      (i) => i === 0 || i % 2 === 1,
    );
    await load('mixed-eol-extra-field.csv', utf8(text), async (outcome) => {
      const ok = loaded(outcome);
      expect(ok.raw.columns).toEqual(['user_id', 'timestamp', 'url', 'column3']);
      expect(ok.events.figures).toMatchObject({ rowsRead: 8, events: 8, skipped: 0, users: 7 });
      expect(ok.raw.rejected).toBe(0);
      expect(await cell(ok.raw.table, 'url', 7)).toBe('/p7');
      const extra = await engine.query<{ v: string | null }>(`SELECT "column3" AS v FROM "${ok.raw.table}" ORDER BY rowid`);
      expect(extra.map((r) => r.v)).toEqual([null, null, null, 'x', 'x', 'x', 'x', 'x']);
      expect(ok.notes).toEqual([
        'Some lines have more fields than the header; their extra values are kept in an extra column (column3).',
        'The file could only be read leniently (its lines end in both CR LF and LF).',
      ]);
    });
  }, 20_000);

  it('a title line above the header, then rows with an extra field: the title skipped with its note, the columns named from the next line, every event loaded', async () => {
    // Was a pinned regression of 7535df6: the title, one field, named the only column, and
    // the file was refused as a single column with a message blaming the delimiter (8
    // events lost). sniffFile now takes a line with text in one field at most, above a
    // line of two named fields or more, for a title: the reads start below it.
    const text = `Clickstream export\n${joinLines(clickstreamLines(8).map((l, i) => (i > 3 ? `${l},x` : l)))}`;
    await load('title-line-extra-field.csv', utf8(text), async (outcome) => {
      const ok = loaded(outcome);
      expect(ok.raw.columns).toEqual(['user_id', 'timestamp', 'url', 'column3']);
      expect(ok.events.figures).toMatchObject({ rowsRead: 8, events: 8, skipped: 0, users: 7 });
      expect(ok.raw.notes).toEqual([
        'Some lines have more fields than the header; their extra values are kept in an extra column (column3).',
        'The first line of the file, above the header, was skipped: it is not part of the table (a title or comments).',
      ]);
    });
  }, 20_000);
});

describe('structurally odd files: repeated headers, a second table, a delimiter too many', () => {
  /** Loads `text`: every row read is an event, under user_id, timestamp, url, with one note. */
  async function loadsWithNote(name: string, text: string, rows: number, note: string): Promise<void> {
    await load(name, utf8(text), (outcome) => {
      const ok = loaded(outcome);
      expect(ok.raw.columns).toEqual(['user_id', 'timestamp', 'url']);
      expect(ok.events.figures).toMatchObject({ rowsRead: rows, events: rows, skipped: 0 });
      expect(ok.raw.notes).toEqual([note]);
    });
  }

  it('two exports joined: the second header is no row, a note names its line, every event of both loads', async () => {
    await loadsWithNote(
      'joined.csv',
      `${clickstream(50)}${clickstream(30)}`,
      80,
      'Line 52 repeats the header (files joined one after another, or a header of several lines); it was skipped.',
    );
  }, 20_000);

  it('a second table with another header: the read ends above it, a note names the line and counts the lines not loaded', async () => {
    const second = clickstream(10, 'user_id,timestamp,url,referrer').replaceAll('\n', ',/home\n').replace(',/home\n', '\n');
    await loadsWithNote(
      'two-tables.csv',
      `${clickstream(20)}${second}`,
      20,
      'Line 22 starts a second table ("user_id", "timestamp", "url", "referrer"): it and the 10 lines below it were not loaded. Split the file to load that table on its own.',
    );
  }, 20_000);

  it('a line with one delimiter too many past the first 64 KB, in a file whose last field is mostly empty: set aside with its line number', async () => {
    // DuckDB keeps a line whose extra field is empty and last, without it: here every value
    // from the extra delimiter on would be one column right (timestamp empty, url in
    // timestamp). Found in the first 64 KB, then searched for in the whole file.
    const rows = Array.from({ length: 3000 }, (_, i) => `u${i % 7},2024-05-01T10:${String(i % 60).padStart(2, '0')}:00Z,/products/p${i},`);
    rows[9] = rows[9]?.replace(',', ',,') ?? '';
    rows[2998] = rows[2998]?.replace(',', ',,') ?? '';
    const text = `user_id,timestamp,url,comment\n${rows.join('\n')}\n`;
    expect(text.length).toBeGreaterThan(64 * 1024 + 20 * 1024);
    await load('extra-delimiter.csv', utf8(text), (outcome) => {
      const ok = loaded(outcome);
      expect(ok.raw.columns).toEqual(['user_id', 'timestamp', 'url', 'comment']);
      expect(ok.events.figures).toMatchObject({ rowsRead: 3000, events: 2998, skipped: 2 });
      expect(ok.raw.rejectedExamples.map((r) => [r.line, r.message])).toEqual([
        [11, 'Expected Number of Columns: 4 Found: 5 (one delimiter too many: the values after it would be one column off)'],
        [3000, 'Expected Number of Columns: 4 Found: 5 (one delimiter too many: the values after it would be one column off)'],
      ]);
    });
  }, 20_000);

  it('a line ending with one delimiter too many (its values right): kept, and a note names it', async () => {
    const lines = clickstreamLines(10);
    lines[4] = `${lines[4]},`;
    await load('trailing-extra.csv', utf8(joinLines(lines)), async (outcome) => {
      const ok = loaded(outcome);
      expect(ok.events.figures).toMatchObject({ rowsRead: 10, events: 10, skipped: 0 });
      expect(await cell(ok.raw.table, 'url', 3)).toBe('/p3');
      expect(ok.raw.notes).toEqual(["Line 5 ends with one delimiter too many (an empty field past the header's columns); read without it."]);
    });
  }, 20_000);
});
