import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { QUOTED_AGENT, QUOTED_EVERY, weblogTwins } from '../../scripts/weblog-twins.mjs';
import { inProcessIngest } from '../ingest/row-ingest';
import { createLocalStatsEngine } from '../stats/stats-engine';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { settled } from '../test/settled';
import { AppStore } from './app-store';

/*
 * Web-server logs through the store as the page loads them: a generated clickstream and its
 * twins as a combined-format log, a common-format log and a CloudFront log
 * (scripts/weblog-twins.mjs) give the same figures and the same sessions, each user's id
 * being its client IP in the logs.
 */

const TWINS = weblogTwins({ seed: 14, events: 3_000 });

let engine: NodeEngine;
beforeEach(async () => {
  engine = await createNodeEngine();
});
afterEach(() => engine.close());

type Row = Record<string, string>;

async function load(name: string, text: string) {
  const store = new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest, stats: createLocalStatsEngine() });
  const data = new TextEncoder().encode(text);
  await store.loadFile({ name, size: data.length, data });
  await settled(store);
  const state = store.getState();
  if (state.status !== 'ready' || !state.dataset || !state.result) throw new Error(`${name} did not load: ${state.error}`);
  const file = await store.queries.exportFile('sessions', 'csv');
  if (!file) throw new Error(`${name}: no sessions export (${store.getState().error})`);
  const sessions = Papa.parse<Row>(new TextDecoder().decode(await file.bytes()), { header: true, skipEmptyLines: true }).data;
  return { state, dataset: state.dataset, sessions, sessionCount: state.result.stats.sessions };
}

/** A session as a comparable line, its user renamed by `user`. */
function sessionKeys(rows: readonly Row[], user: (id: string) => string): string[] {
  return rows
    .map((r) => {
      const id = user(r.user_id ?? '');
      return [`${id}-${r.session_number}`, r.session_id === `${r.user_id}-${r.session_number}`, r.start_time, r.end_time, r.event_count].join(' ');
    })
    .sort();
}

const ipOf = (user: string) => TWINS.ipOfUser.get(user) ?? `no IP for ${user}`;

describe('web-server logs and their plain CSV twin', () => {
  it.each([
    ['access-combined.log', TWINS.combined, { user: 'client_ip', timestamp: 'time', time: '', url: 'path', format: 'clf' }, 'combined format'],
    ['access-common.log', TWINS.common, { user: 'client_ip', timestamp: 'time', time: '', url: 'path', format: 'clf' }, 'common format'],
    ['cloudfront.log', TWINS.cloudfront, { user: 'c-ip', timestamp: 'date', time: 'time', url: 'cs-uri-stem', format: 'iso' }, 'W3C extended log'],
  ] as const)('%s gives the same figures and session ids as the CSV, users as their IPs', async (name, text, mapping, format) => {
    const plain = await load('clicks.csv', TWINS.csv);
    const log = await load(name, text);
    expect(log.dataset.events.mapping).toEqual(mapping);
    expect(log.dataset.notes.join(' ')).toContain(format);
    expect(log.dataset.events.figures).toEqual(plain.dataset.events.figures);
    expect(log.dataset.events.figures.skipped).toBe(0);
    expect(log.sessionCount).toBe(plain.sessionCount);
    expect(log.sessions.length).toBe(log.sessionCount);
    expect(log.sessionCount).toBeGreaterThan(300);
    expect(sessionKeys(log.sessions, (ip) => ip)).toEqual(sessionKeys(plain.sessions, ipOf));
  });

  it('the combined log has the request split, - as missing, escaped quotes read, and IP + user agent offered', async () => {
    const log = await load('access-combined.log', TWINS.combined);
    const { columns, table } = log.dataset.raw;
    expect(columns).toEqual([
      'client_ip',
      'ident',
      'auth_user',
      'time',
      'request',
      'method',
      'path',
      'protocol',
      'status',
      'bytes',
      'referrer',
      'user_agent',
      'ip_user_agent',
    ]);
    const rows = await engine.query<Row>(`SELECT * FROM ${table} ORDER BY rowid LIMIT ${QUOTED_EVERY}`);
    const quoted = rows[QUOTED_EVERY - 1];
    expect(quoted?.user_agent).toBe(QUOTED_AGENT);
    expect(quoted?.ip_user_agent).toBe(`${quoted?.client_ip} ${QUOTED_AGENT}`);
    expect(rows[0]).toMatchObject({ ident: null, auth_user: null, method: 'GET', protocol: 'HTTP/1.1', status: '200' });
    expect(log.dataset.notes.join(' ')).toContain('"ip_user_agent"');
  });

  it('IP + user agent as the user splits the users the log has behind one IP', async () => {
    const store = new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest, stats: createLocalStatsEngine() });
    const data = new TextEncoder().encode(TWINS.combined);
    await store.loadFile({ name: 'access-combined.log', size: data.length, data });
    await settled(store);
    const byIp = store.getState().dataset?.events.figures.users ?? 0;
    const mapping = store.getState().dataset?.events.mapping;
    if (!mapping) throw new Error('not loaded');
    await store.setMapping({ ...mapping, user: 'ip_user_agent' });
    await settled(store);
    const [distinct] = await engine.query<{ n: number }>(`SELECT count(DISTINCT ip_user_agent)::DOUBLE AS n FROM ${store.getState().dataset?.raw.table}`);
    expect(store.getState().dataset?.events.figures.users).toBe(distinct?.n);
    expect(distinct?.n).toBeGreaterThan(byIp);
  });

  it('a second log appended to the first gives the figures of the whole log', async () => {
    const lines = TWINS.combined.trimEnd().split('\n');
    const half = Math.floor(lines.length / 2);
    const bytes = (part: string[]) => new TextEncoder().encode(`${part.join('\n')}\n`);
    const store = new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest, stats: createLocalStatsEngine() });
    const first = bytes(lines.slice(0, half));
    await store.loadFile({ name: 'access.log', size: first.length, data: first });
    await settled(store);
    const second = bytes(lines.slice(half));
    await store.appendFile({ name: 'access.log.1', size: second.length, data: second });
    await settled(store);
    const whole = await load('access-combined.log', TWINS.combined);
    expect(store.getState().error).toBeNull();
    expect(store.getState().dataset?.events.figures).toEqual(whole.dataset.events.figures);
    expect(store.getState().result?.stats.sessions).toBe(whole.sessionCount);
  });

  it('sets malformed lines aside with their line numbers, as the CSV reader does', async () => {
    const lines = TWINS.combined.split('\n');
    const broken = new Map<number, string>([
      [5, (lines[4] ?? '').slice(0, 60)], // cut off mid-line
      [12, 'GET /index.html HTTP/1.1 200'], // not a log line
      [40, (lines[39] ?? '').replace(/" 200 /, '" OK ')], // a status that is no number
    ]);
    const text = lines.map((l, i) => broken.get(i + 1) ?? l).join('\n');
    const plain = await load('clicks.csv', TWINS.csv);
    const log = await load('broken.log', text);
    const { raw, events } = log.dataset;
    expect(raw.rejected).toBe(3);
    expect(raw.rejectedExamples.map((r) => r.line)).toEqual([5, 12, 40]);
    expect(raw.rejectedExamples[0]?.message).toMatch(/no closing|expected 9 fields/);
    expect(raw.rejectedExamples[2]?.message).toContain('three-digit');
    expect(events.figures.rowsRead).toBe(plain.dataset.events.figures.rowsRead);
    expect(events.figures.events).toBe(plain.dataset.events.figures.events - 3);
    expect(events.figures.rowsRead).toBe(events.figures.events + events.figures.skipped);
    expect(events.skippedByReason.find((s) => s.reason === 'malformed line')?.count).toBe(3);
  });
});
