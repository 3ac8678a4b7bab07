import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { createEventsTableSql } from '../sql/events-sql';
import { sessionViewsSql, splitSessionViews, type SessionViewRow } from '../sql/explore-sql';
import { quoteString } from '../sql/quote';
import { NO_RULES } from '../domain/rules';
import { gapColumnsSql, urlColumnSql } from './gap-columns-sql';
import { createLocalStatsEngine } from './stats-engine';

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
  await engine.exec(createEventsTableSql({ rawTable: `raw_v${n}`, mapping: { user: 'u', timestamp: 't', time: '', url: 'p', format: 'epoch-us' } }, table));
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
    await compare([['a', 0, '/'], ['a', 0, null], ['a', 500, '/b'], ['a', 5_000, null], ['b', 7, null], ['b', 9, '/c']], 1_000, 'ge');
  });

  it('with no url at all, and with an empty url', async () => {
    await compare([['a', 0, null], ['a', 500, null], ['b', 7, null]], 1_000, 'ge');
    await compare([['a', 0, ''], ['a', 500, '/b'], ['b', 7, ''], ['b', 9_000, null]], 1_000, 'gt');
  });

  it('past 2048 events (several Arrow batches) and 256 urls (wider codes)', async () => {
    const rows: [string, number, string | null][] = Array.from({ length: 5000 }, (_, i) => [`u${i % 37}`, i * 1_000, i % 7 === 0 ? null : `/p${(i * 7919) % 300}`]);
    await compare(rows, 30_000, 'ge');
  });

  it('on random events', async () => {
    const row = fc.tuple(fc.constantFrom('u1', 'u2', 'u3'), fc.integer({ min: 0, max: 5_000_000_000 }), fc.option(fc.constantFrom('/', '/a', '/b', '/c'), { nil: null }));
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 50 }), fc.constantFrom(1_000_000, 60_000_000, 1_800_000_000), fc.constantFrom<'ge' | 'gt'>('ge', 'gt'), async (rows, t, b) => {
        await compare(rows, t, b);
      }),
      { seed: 3, numRuns: 40 },
    );
  });
});
