import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { createEventsTableSql } from '../sql/events-sql';
import { sessionViewsSql, splitSessionViews } from '../test/sql-oracles';
import { quoteString } from '../sql/quote';
import { NO_RULES } from '../domain/rules';
import { gapColumnsSql, urlColumnSql } from '../sql/gap-columns-sql';
import { createLocalStatsEngine } from './stats-engine';
import { durationGapBin, figuresScratch, sessionFigures, TOP_PAGES } from './session-figures';
import { markSessionStarts } from './session-stats';
import { gapBinEdges, gapBinOf, gapBins } from '../domain/gap-bins';
import { EVENTS_PER_SESSION_BINS } from '../domain/session-bins';
import type { SessionStats, SessionViewRow, UrlColumn } from '../domain/types';

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});

let id = 0;
async function compare(rows: [string, number, string | null][], thresholdUs: number, boundary: 'ge' | 'gt') {
  const n = ++id;
  const values = rows.map(([u, t, url]) => `(${quoteString(u)}, ${quoteString(String(t))}, ${url === null ? 'NULL' : quoteString(url)})`).join(', ');
  await engine.exec(`CREATE TABLE raw_v${n} (u VARCHAR, t VARCHAR, p VARCHAR); INSERT INTO raw_v${n} VALUES ${values}`);
  const table = `ev_v${n}`;
  await engine.exec(
    createEventsTableSql(
      { rawTable: `raw_v${n}`, columns: ['u', 't', 'p'], mapping: { user: 'u', timestamp: 't', time: '', url: 'p', format: 'epoch-us' } },
      table,
    ),
  );
  const sql = splitSessionViews(await engine.query<SessionViewRow>(sessionViewsSql({ eventsTable: table, thresholdUs, boundary }, 10)));
  const stats = createLocalStatsEngine();
  await stats.load(table, await engine.queryIpc(gapColumnsSql(table)), new Set(rows.map((r) => r[0])).size);
  const url = urlColumnSql(table);
  await stats.loadUrlColumn(table, await engine.queryIpc(url.query));
  await engine.exec(url.drop);
  const { views } = await stats.computeWithViews(table, thresholdUs, { ...NO_RULES, boundary });
  expect(views.distribution).toEqual(sql.distribution);
  expect(views.pages).toEqual(sql.pages);
}

describe('session views from the stats worker equal sessionViewsSql', () => {
  it('on a hand-made case with empty urls and ties', async () => {
    await compare(
      [
        ['a', 0, '/'],
        ['a', 0, null],
        ['a', 500, '/b'],
        ['a', 5_000, null],
        ['b', 7, null],
        ['b', 9, '/c'],
      ],
      1_000,
      'ge',
    );
  });

  it('with no url at all, and with an empty url', async () => {
    await compare(
      [
        ['a', 0, null],
        ['a', 500, null],
        ['b', 7, null],
      ],
      1_000,
      'ge',
    );
    await compare(
      [
        ['a', 0, ''],
        ['a', 500, '/b'],
        ['b', 7, ''],
        ['b', 9_000, null],
      ],
      1_000,
      'gt',
    );
  });

  it('past 2048 events (several Arrow batches) and 256 urls (wider codes)', async () => {
    const rows: [string, number, string | null][] = Array.from({ length: 5000 }, (_, i) => [
      `u${i % 37}`,
      i * 1_000,
      i % 7 === 0 ? null : `/p${(i * 7919) % 300}`,
    ]);
    await compare(rows, 30_000, 'ge');
  });

  it('on random events', async () => {
    const row = fc.tuple(
      fc.constantFrom('u1', 'u2', 'u3'),
      fc.integer({ min: 0, max: 5_000_000_000 }),
      fc.option(fc.constantFrom('/', '/a', '/b', '/c'), { nil: null }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { minLength: 1, maxLength: 50 }),
        fc.constantFrom(1_000_000, 60_000_000, 1_800_000_000),
        fc.constantFrom<'ge' | 'gt'>('ge', 'gt'),
        async (rows, t, b) => {
          await compare(rows, t, b);
        },
      ),
      { seed: 3, numRuns: 40 },
    );
  });
});

/** The figures by the obvious method: a list of sessions, sorted medians, a Map per page kind. */
function sortedReference(times: Float64Array, starts: Uint8Array, users: number, url: UrlColumn | null, pagesLimit = TOP_PAGES) {
  const sessions: { duration: number; count: number; entry: number; exit: number }[] = [];
  for (let i = 0; i < times.length; i++) {
    if (starts[i] === 1) sessions.push({ duration: 0, count: 0, entry: -1, exit: -1 });
    const s = sessions.at(-1);
    if (!s) throw new Error('the first event must start a session');
    s.duration = (times[i] as number) - (times[i - s.count] as number);
    s.count++;
    const code = url?.codes[i] ?? -1;
    if (code >= 0) {
      if (s.entry < 0) s.entry = code;
      s.exit = code;
    }
  }
  const median = (values: number[]) => {
    const v = [...values].sort((a, b) => a - b);
    const h = v.length >> 1;
    return v.length === 0 ? 0 : v.length % 2 ? (v[h] as number) : ((v[h - 1] as number) + (v[h] as number)) / 2;
  };
  const n = sessions.length;
  const stats: SessionStats = {
    sessions: n,
    sessionsPerUser: n && users ? n / users : 0,
    medianDurationSeconds: median(sessions.map((s) => s.duration)) / 1e6,
    meanDurationSeconds: n ? sessions.reduce((sum, s) => sum + s.duration, 0) / n / 1e6 : 0,
    medianEventsPerSession: median(sessions.map((s) => s.count)),
    singleEventShare: n ? sessions.filter((s) => s.count === 1).length / n : 0,
  };
  const durationCounts = gapBins().map((b) => sessions.filter((s) => gapBinOf(s.duration) === b.bin).length);
  const eventsBin = (c: number) => EVENTS_PER_SESSION_BINS.findIndex((b) => b.high === null || c <= b.high);
  const distribution = [
    ...gapBins().map((b) => ({
      kind: 'duration',
      bin: b.bin,
      low: b.lowUs / 1e6,
      high: b.highUs === null ? null : b.highUs / 1e6,
      count: durationCounts[b.bin],
    })),
    ...EVENTS_PER_SESSION_BINS.map((b, i) => ({
      kind: 'events',
      bin: i,
      low: b.low,
      high: b.high,
      count: sessions.filter((s) => eventsBin(s.count) === i).length,
    })),
  ];
  const top = (kind: 'entry' | 'exit') => {
    const counts = new Map<number, number>();
    for (const s of sessions) counts.set(s[kind], (counts.get(s[kind]) ?? 0) + 1);
    const rows = [...counts].map(([code, c]) => ({ kind, url: code < 0 ? null : (url?.labels[code] ?? null), sessions: c }));
    rows.sort((a, b) => b.sessions - a.sessions || (a.url === null ? 1 : b.url === null ? -1 : a.url < b.url ? -1 : 1));
    return rows.slice(0, pagesLimit);
  };
  return { stats, views: { distribution, pages: url ? [...top('entry'), ...top('exit')] : null } };
}

describe('sessionFigures (histogram-guided selection) equals a sort-based reference', () => {
  // Sessions of 1 to 3,000 events (past the exactly counted sizes), zero and edge-exact
  // durations, urls missing at either end, many tied page counts.
  const session = fc.record({
    count: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 6 }) }, { weight: 1, arbitrary: fc.integer({ min: 1000, max: 3000 }) }),
    step: fc.oneof(fc.constant(0), fc.constantFrom(...gapBinEdges().slice(0, 30)), fc.integer({ min: 1, max: 50_000_000_000 })),
    urls: fc.array(fc.option(fc.integer({ min: 0, max: 25 }), { nil: null }), { minLength: 1, maxLength: 4 }),
  });
  it('on random sessions', () => {
    fc.assert(
      fc.property(
        fc.array(session, { minLength: 0, maxLength: 40 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        (spec, withUrls, users, pagesLimit) => {
          const n = spec.reduce((sum, s) => sum + s.count, 0);
          const times = new Float64Array(n);
          const starts = new Uint8Array(n);
          const codes = new Int32Array(n);
          let i = 0;
          let t = 1_700_000_000_000_000;
          for (const s of spec) {
            starts[i] = 1;
            for (let k = 0; k < s.count; k++, i++) {
              times[i] = t;
              // The step spread over the session's events so that its duration is the step.
              t += k === s.count - 2 ? s.step : 0;
              codes[i] = s.urls[k % s.urls.length] ?? -1;
            }
            t += 3_600_000_000;
          }
          const url = withUrls ? { codes, labels: Array.from({ length: 26 }, (_, c) => `/p${(c * 7) % 26}`) } : null;
          const scratch = figuresScratch(n);
          expect(sessionFigures(times, starts, users, url, scratch, pagesLimit)).toEqual(sortedReference(times, starts, users, url, pagesLimit));
        },
      ),
      { seed: 11, numRuns: 300 },
    );
  });

  it('reuses its scratch buffers without carrying anything over', () => {
    const times = new Float64Array([0, 5, 9, 200_000, 400_000, 400_000]);
    const scratch = figuresScratch(times.length);
    const a = new Uint8Array([1, 0, 1, 0, 1, 0]);
    const b = new Uint8Array([1, 1, 1, 1, 1, 1]);
    sessionFigures(times, a, 1, null, scratch);
    expect(sessionFigures(times, b, 1, null, scratch)).toEqual(sortedReference(times, b, 1, null));
    expect(sessionFigures(times, a, 1, null, scratch)).toEqual(sortedReference(times, a, 1, null));
  });
});

describe('durationGapBin equals gapBinOf', () => {
  it('at every edge, next to it, and at random durations', () => {
    const at = gapBinEdges().flatMap((e) => [e - 1, e, e + 1]);
    for (const us of [1, ...at, 2 ** 52]) expect(durationGapBin(us), String(us)).toBe(gapBinOf(us));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (us) => durationGapBin(us) === gapBinOf(us)),
      { seed: 4, numRuns: 2000 },
    );
  });
});

describe('sessionFigures from the gaps equals sessionFigures from marked starts', () => {
  it('on random gaps, thresholds at gap values, both boundaries', () => {
    const gap = fc.oneof(fc.constant(-1), fc.constantFrom(0, 999, 1000, 1001), fc.integer({ min: 0, max: 5000 }));
    fc.assert(
      fc.property(
        fc.array(gap, { minLength: 1, maxLength: 80 }),
        fc.constantFrom(1, 999, 1000, 1001, 4000),
        fc.constantFrom<'ge' | 'gt'>('ge', 'gt'),
        (spec, thresholdUs, boundary) => {
          const gaps = new Float64Array(spec.map((g, i) => (i === 0 ? -1 : g)));
          const times = new Float64Array(gaps.length);
          for (let i = 1; i < gaps.length; i++) times[i] = (times[i - 1] as number) + Math.max(0, gaps[i] as number) + ((gaps[i] as number) < 0 ? 1e9 : 0);
          const starts = markSessionStarts({ gaps, times, users: 1 }, thresholdUs, { ...NO_RULES, boundary });
          expect(sessionFigures(times, { gaps, thresholdUs, boundary }, 3, null)).toEqual(sessionFigures(times, starts, 3, null));
        },
      ),
      { seed: 17, numRuns: 300 },
    );
  });
});
