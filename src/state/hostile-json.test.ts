import { beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { inProcessIngest } from '../ingest/row-ingest';
import { loadThroughApp, messageDefects, type LoadOutcome } from '../test/load-through-app';
import { AppStore } from './app-store';

/*
 * JSON built to hurt the reader (issue 14, item 6): each ends in a bound and a message that
 * names the file and the line, bad records are set aside and counted like CSV's malformed
 * lines, and a refused file leaves the dataset on screen as it was.
 */

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});

const utf8 = (text: string) => new TextEncoder().encode(text);
/** A good event of user u<i % 5>, one a minute. */
const event = (i: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ user_id: `u${i % 5}`, timestamp: `2024-05-01T10:${String(i % 60).padStart(2, '0')}:00Z`, page: `/p${i}`, ...extra });
const goodLines = (n: number) => Array.from({ length: n }, (_, i) => event(i));

let id = 700;
const load = (name: string, text: string | Uint8Array) => loadThroughApp(engine, name, typeof text === 'string' ? utf8(text) : text, id++);
function loaded(outcome: LoadOutcome) {
  if (!outcome.ok) throw new Error(`expected the file to load, got: ${outcome.error.message}`);
  return outcome;
}

describe('hostile JSON', () => {
  it('a new key on every line (3 MB) is refused at the column cap, naming the file and the line, quickly; the dataset on screen stays', async () => {
    const lines = Array.from({ length: 80_000 }, (_, i) => event(i, { [`key_${i}`]: i }));
    const text = lines.join('\n');
    expect(text.length).toBeGreaterThan(3e6);
    const store = new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest });
    const good = utf8(goodLines(20).join('\n'));
    await store.loadFile({ name: 'good.ndjson', size: good.length, data: good });
    const before = store.getState().dataset;
    expect(before?.events.figures.events).toBe(20);
    const started = Date.now();
    const bad = utf8(text);
    await store.loadFile({ name: 'keys.ndjson', size: bad.length, data: bad });
    expect(Date.now() - started).toBeLessThan(10_000);
    const { error, dataset } = store.getState();
    expect(error).toBe(
      'keys.ndjson: could not be read as JSON: line 1,998 brings a key ("key_1997") past 2,000 distinct keys, the most read from JSON. The keys vary from record to record (an id or a date used as a key, say); flatten the file so the names are fixed, or keep the columns you need.',
    );
    expect(dataset).toBe(before);
  });

  it('__proto__ and constructor keys are ordinary columns: no pollution, no crash', async () => {
    const text = goodLines(6)
      .map((l, i) => l.replace('{', `{"__proto__":{"admin":true,"n":${i}},"constructor":{"prototype":{"x":1}},`))
      .join('\n');
    const out = loaded(await load('proto.ndjson', text));
    expect(out.raw.columns).toEqual(['__proto__.admin', '__proto__.n', 'constructor.prototype.x', 'user_id', 'timestamp', 'page']);
    expect(out.events.figures).toMatchObject({ rowsRead: 6, events: 6, skipped: 0 });
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('x');
  });

  it('20,000-deep nesting is set aside as a malformed line with its number, not a stack overflow', async () => {
    const deep = `{"user_id":"u9","timestamp":"2024-05-01T10:00:00Z","x":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    const deepObject = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
    const lines = goodLines(10);
    lines.splice(3, 0, deep);
    lines.splice(7, 0, deepObject);
    const out = loaded(await load('deep.ndjson', lines.join('\n')));
    expect(out.raw.rejectedExamples).toEqual([
      { line: 4, message: 'nested more than 64 levels deep; at most 64 are read', text: deep.slice(0, 200) },
      { line: 8, message: 'nested more than 64 levels deep; at most 64 are read', text: deepObject.slice(0, 200) },
    ]);
    expect(out.events.figures).toMatchObject({ rowsRead: 12, events: 10, skipped: 2 });
    expect(out.events.skippedByReason[0]).toEqual({ reason: 'malformed line', count: 2 });
  });

  it.each([
    ['a malformed line', '{"user_id":"u1","timestamp":', /^not valid JSON/],
    ['a line that is JSON but not an object', '["u1","2024-05-01T10:00:00Z"]', /^expected a JSON object, found an array$/],
    ['a line that is a string', '"hello"', /^expected a JSON object, found a string$/],
  ])('%s does not reject the file: it is set aside and counted with its line number', async (_name, bad, message) => {
    const lines = goodLines(8);
    lines.splice(0, 0, bad);
    lines.splice(5, 0, bad);
    const out = loaded(await load('one-bad.ndjson', lines.join('\n')));
    expect(out.raw.rejectedExamples.map((r) => r.line)).toEqual([1, 6]);
    for (const r of out.raw.rejectedExamples) expect(r.message).toMatch(message);
    expect(out.events.figures).toMatchObject({ rowsRead: 10, events: 8, skipped: 2 });
  });

  it('a line with a byte that is not UTF-8 is set aside alone (the file is not taken for Windows-1252)', async () => {
    const lines = goodLines(6).map((l) => utf8(`${l}\n`));
    lines.splice(2, 0, Uint8Array.from([...utf8('{"user_id":"caf'), 0xe9, ...utf8('","timestamp":"2024-05-01T10:00:00Z"}\n')]));
    const bytes = Uint8Array.from(lines.flatMap((l) => [...l]));
    const out = loaded(await load('latin1-line.ndjson', bytes));
    expect(out.raw.rejectedExamples.map((r) => [r.line, r.message])).toEqual([[3, 'not valid UTF-8']]);
    expect(out.events.figures).toMatchObject({ rowsRead: 7, events: 6, skipped: 1 });
    expect(out.notes.join(' ')).not.toMatch(/Windows-1252/);
  });

  it('a JSON array with a bad element reads the others, naming the element line', async () => {
    const elements = goodLines(6).map((l) => JSON.stringify(JSON.parse(l), null, 2));
    elements.splice(2, 0, '{\n  "user_id": "u1",\n  "timestamp": oops\n}');
    const out = loaded(await load('array.json', `[\n${elements.join(',\n')}\n]\n`));
    expect(out.raw.rejectedExamples.map((r) => [r.line, r.message.slice(0, 14)])).toEqual([[12, 'not valid JSON']]);
    expect(out.events.figures).toMatchObject({ rowsRead: 7, events: 6, skipped: 1 });
  });

  it('a file where no line is an object is refused, naming the file and the first line', async () => {
    const outcome = await load('nothing.ndjson', '[1]\n[2]\n');
    if (outcome.ok) throw new Error('loaded');
    expect(outcome.error.message).toBe(
      'nothing.ndjson: cannot be read as a clickstream: it is named as NDJSON but no line in its first bytes is a JSON object.',
    );
    const all = await load('bad.jsonl', '{"a":\n{"b":\n');
    if (all.ok) throw new Error('loaded');
    expect(all.error.message).toMatch(/^bad\.jsonl: .*line 1: not valid JSON/);
    expect(messageDefects(all.error)).toEqual([]);
  });
});
