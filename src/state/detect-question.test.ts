import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { dropLoaded, loadThroughApp, type LoadOutcome } from '../test/load-through-app';
import type { QuestionRole } from '../domain/role-candidates';

/*
 * When the page asks which column is the user or the timestamp, and when it does not
 * (issue 14, item 5), decided on generated files read as the page reads them (DuckDB's
 * profile of the first rows). The files are written here from a seed, not typed out.
 */

let engine: NodeEngine;
let nextId = 1;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(() => engine?.close());

/** A deterministic generator (mulberry32), so the files are the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASE_MS = Date.UTC(2024, 4, 1, 8);

/** Cell makers for one row (its index, a random source): the generated file's columns. */
type Column = (i: number, r: () => number) => string;
const cols = {
  user:
    (prefix = 'u', n = 40): Column =>
    (_, r) =>
      `${prefix}${Math.floor(r() * n)}`,
  instant:
    (offsetH = 0): Column =>
    (i) =>
      new Date(BASE_MS + offsetH * 3_600_000 + i * 97_000).toISOString(),
  date: (): Column => (i) => new Date(BASE_MS + Math.floor(i / 50) * 86_400_000).toISOString().slice(0, 10),
  compactDate: (): Column => (i) => new Date(BASE_MS + Math.floor(i / 50) * 86_400_000).toISOString().slice(0, 10).replaceAll('-', ''),
  url: (): Column => (_, r) => `/p${Math.floor(r() * 30)}`,
  constant:
    (value: string): Column =>
    () =>
      value,
  flag: (): Column => (_, r) => (r() < 0.5 ? 'true' : 'false'),
  sparse:
    (inner: Column, every: number): Column =>
    (i, r) =>
      i % every === 0 ? inner(i, r) : '',
  amount: (): Column => (_, r) => (r() * 200).toFixed(2),
  garbled:
    (inner: Column, share: number): Column =>
    (i, r) =>
      r() < share ? inner(i, r) : 'n/a',
};

function csvText(header: string[], columns: Column[], rows: number, seed: number): string {
  const r = random(seed);
  const lines = [header.join(',')];
  for (let i = 0; i < rows; i++) lines.push(columns.map((c) => c(i, r)).join(','));
  return `${lines.join('\n')}\n`;
}

async function load(header: string[], columns: Column[], rows = 400, seed = 7): Promise<LoadOutcome> {
  const id = nextId++;
  const text = csvText(header, columns, rows, seed);
  try {
    return await loadThroughApp(engine, 'generated.csv', new TextEncoder().encode(text), id);
  } finally {
    await dropLoaded(engine, id);
  }
}

const askedRoles = (o: LoadOutcome): QuestionRole[] => (!o.ok && o.asked ? o.asked.uncertain.map((u) => u.role) : []);
const candidates = (o: LoadOutcome, role: QuestionRole) =>
  !o.ok && o.asked ? Object.fromEntries((o.asked.uncertain.find((u) => u.role === role)?.candidates ?? []).map((c) => [c.column, c.verdict])) : {};
const mappingOf = (o: LoadOutcome) => (o.ok ? o.mapping : null);

describe('the page asks when names and values leave the user or timestamp open', () => {
  it('generic headers (column00…) with two columns of repeating ids: asks for the user, both likely', async () => {
    const o = await load(['column00', 'column01', 'column02', 'column03'], [cols.user('a'), cols.instant(), cols.url(), cols.user('b', 30)]);
    expect(askedRoles(o)).toEqual(['user']);
    expect(candidates(o, 'user')).toMatchObject({ column00: 'likely', column03: 'likely' });
    if (!o.ok && o.asked) expect(o.asked.mapping).toMatchObject({ user: '', timestamp: 'column01', url: 'column02' });
  });

  it('two equally good id columns with plain names: asks, and answering loads with the chosen one', async () => {
    const header = ['account_ref', 'shopper_ref', 'at', 'page'];
    const columns = [cols.user('a', 50), cols.user('s', 45), cols.instant(), cols.url()];
    expect(askedRoles(await load(header, columns))).toEqual(['user']);
    const id = nextId++;
    const answered = await loadThroughApp(engine, 'g.csv', new TextEncoder().encode(csvText(header, columns, 400, 7)), id, { user: 'shopper_ref' });
    await dropLoaded(engine, id);
    expect(answered.ok && answered.mapping).toMatchObject({ user: 'shopper_ref', timestamp: 'at', url: 'page' });
    expect(answered.ok && answered.events.figures).toMatchObject({ events: 400, skipped: 0 });
  });

  it('dates as the first column are never the user: the other column is taken', async () => {
    const o = await load(['day', 'ident', 'at'], [cols.date(), cols.user('v'), cols.instant()]);
    expect(mappingOf(o)).toMatchObject({ user: 'ident', timestamp: 'at' });
  });

  it('compact dates (20240501, as GA4 event_date) are never the user', async () => {
    const o = await load(['event_date', 'ident', 'at'], [cols.compactDate(), cols.user('v'), cols.instant()]);
    expect(mappingOf(o)).toMatchObject({ user: 'ident' });
  });

  it('a constant column is never the user: the varied one is taken', async () => {
    const o = await load(['site', 'at', 'ident'], [cols.constant('shop-1'), cols.instant(), cols.user('v')]);
    expect(mappingOf(o)).toMatchObject({ user: 'ident' });
  });

  it('when only dates and a constant are left, it asks and marks them never', async () => {
    const o = await load(['day', 'site', 'at'], [cols.date(), cols.constant('shop-1'), cols.instant()]);
    expect(askedRoles(o)).toEqual(['user']);
    expect(candidates(o, 'user')).toEqual({ day: 'never', site: 'never' });
  });

  it('a mostly empty column loses to a fuller one; a flag, an amount or a referrer to an id', async () => {
    expect(mappingOf(await load(['ref', 'ident', 'at'], [cols.sparse(cols.user('r'), 5), cols.user('v'), cols.instant()]))).toMatchObject({ user: 'ident' });
    expect(mappingOf(await load(['is_new', 'ident', 'at'], [cols.flag(), cols.user('v'), cols.instant()]))).toMatchObject({ user: 'ident' });
    expect(mappingOf(await load(['price', 'ident', 'at'], [cols.amount(), cols.user('v'), cols.instant()]))).toMatchObject({ user: 'ident' });
    expect(mappingOf(await load(['ident', 'at', 'page', 'came_from'], [cols.user('v'), cols.instant(), cols.url(), cols.url()]))).toMatchObject({
      user: 'ident',
      url: 'page',
    });
  });

  it('two timestamps read equally well with no name (created, updated): asks for the timestamp', async () => {
    const o = await load(['user_id', 'created', 'updated'], [cols.user(), cols.instant(), cols.instant(5)]);
    expect(askedRoles(o)).toEqual(['timestamp']);
    expect(candidates(o, 'timestamp')).toEqual({ created: 'likely', updated: 'likely' });
  });

  it('a name hint decides between two timestamps (created_at), and a date-only column loses to instants', async () => {
    expect(mappingOf(await load(['user_id', 'created_at', 'updated'], [cols.user(), cols.instant(), cols.instant(5)]))).toMatchObject({
      timestamp: 'created_at',
    });
    expect(mappingOf(await load(['user_id', 'day', 'moment'], [cols.user(), cols.date(), cols.instant()]))).toMatchObject({ timestamp: 'moment' });
  });

  it('a timestamp column not named as one that reads only 60% of its values: asks', async () => {
    const o = await load(['user_id', 'moment'], [cols.user(), cols.garbled(cols.instant(), 0.6)]);
    expect(askedRoles(o)).toEqual(['timestamp']);
  });

  it('the only candidate for the user, repeating, is taken without asking (a headerless click log)', async () => {
    const o = await load(['column0', 'column1', 'column2'], [cols.user(), cols.instant(), cols.url()]);
    expect(mappingOf(o)).toMatchObject({ user: 'column0', timestamp: 'column1', url: 'column2' });
  });
});

describe('conventional names never ask, however ambiguous the other columns', () => {
  const USERS = ['user_id', 'userId', 'uid', 'visitor', 'client_ip', 'customer_number', 'email'];
  const TIMES = ['timestamp', 'ts', 'time', 'event_time', 'date', 'timestamps'];
  // Every name at least once, each user name with a timestamp name and the other way round.
  const pairs = [...USERS.map((u, i) => [u, TIMES[i % TIMES.length] ?? 'ts']), ...TIMES.map((t, i) => [USERS[(i + 3) % USERS.length] ?? 'uid', t])];
  for (const [user = '', time = ''] of pairs)
    it(`${user} + ${time}`, async () => {
      // Two more repeating columns and a second timestamp not named as one: ambiguous without the names.
      const o = await load(
        ['ref_a', time, user, 'ref_b', 'other_moment', 'url'],
        [cols.user('a', 30), cols.instant(), cols.user('v'), cols.user('b', 35), cols.instant(3), cols.url()],
        200,
      );
      expect(askedRoles(o)).toEqual([]);
      expect(mappingOf(o)).toMatchObject({ user, timestamp: time });
    });
});
