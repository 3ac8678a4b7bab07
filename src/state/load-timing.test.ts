import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inProcessIngest } from '../ingest/row-ingest';
import { createLocalStatsEngine, type StatsEngine } from '../stats/stats-engine';
import { clickstreamSource } from '../test/file-source';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { settled } from '../test/settled';
import { AppStore } from './app-store';
import { LOAD_MEASURES, type LoadMeasure } from './load-timing';

/*
 * The steps of a load leave one User Timing measure each (the benchmark reads them to say
 * where a cold load spends its time): those of the path the file took, and only the latest.
 */

let engine: NodeEngine;
beforeEach(async () => {
  engine = await createNodeEngine();
  performance.clearMeasures();
});
afterEach(() => engine.close());

const FILE = clickstreamSource('steps.csv', 2_000, 5, 0.05);

function measured(): Map<string, PerformanceEntry[]> {
  const byName = new Map<string, PerformanceEntry[]>();
  for (const m of performance.getEntriesByType('measure')) {
    if (m.name.startsWith('load: ')) byName.set(m.name, [...(byName.get(m.name) ?? []), m]);
  }
  return byName;
}

function load(stats: StatsEngine): Promise<AppStore> {
  const store = new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest, stats });
  return store.loadFile(FILE).then(() => settled(store).then(() => store));
}

const QUICK: LoadMeasure[] = [
  LOAD_MEASURES.open,
  LOAD_MEASURES.sniff,
  LOAD_MEASURES.quickRead,
  LOAD_MEASURES.quickJoin,
  LOAD_MEASURES.firstFigures,
  LOAD_MEASURES.sqlRaw,
  LOAD_MEASURES.sqlHandover,
  LOAD_MEASURES.sqlCheck,
  LOAD_MEASURES.sqlProfile,
];
const DUCKDB: LoadMeasure[] = [
  LOAD_MEASURES.open,
  LOAD_MEASURES.sniff,
  LOAD_MEASURES.duckdbRead,
  LOAD_MEASURES.detect,
  LOAD_MEASURES.duckdbEvents,
  LOAD_MEASURES.toWorker,
  LOAD_MEASURES.firstFigures,
];

describe('load step timings', () => {
  it("a quick-read load measures the stats worker's steps, the first figures and DuckDB's side, in order, once each", async () => {
    const store = await load(createLocalStatsEngine());
    expect(store.getState()).toMatchObject({ status: 'ready', background: null });
    const byName = measured();
    expect([...byName.keys()].sort()).toEqual([...QUICK].sort());
    expect([...byName.values()].every((entries) => entries.length === 1)).toBe(true);
    const starts = QUICK.map((name) => byName.get(name)?.[0]?.startTime ?? Number.NaN);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it("a file DuckDB reads measures DuckDB's steps and the hand-over to the stats worker; a second load replaces the entries", async () => {
    const duckdbOnly: StatsEngine = { ...createLocalStatsEngine(), quickPlan: async () => ({ ok: false, reason: 'switched off for the test' }) };
    await load(duckdbOnly);
    const first = measured();
    expect([...first.keys()].sort()).toEqual([...DUCKDB].sort());
    await load(duckdbOnly);
    const second = measured();
    expect([...second.values()].every((entries) => entries.length === 1)).toBe(true);
    expect(second.get(LOAD_MEASURES.duckdbRead)?.[0]?.startTime).toBeGreaterThan(
      first.get(LOAD_MEASURES.duckdbRead)?.[0]?.startTime ?? Number.POSITIVE_INFINITY,
    );
  });
});
