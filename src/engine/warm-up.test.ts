import { describe, expect, it } from 'vitest';
import { createNodeEngine } from '../test/node-engine';
import { WARM_UP_READS, warmUpEngine } from './warm-up';

describe('warmUpEngine', () => {
  it('reads the generated file, then leaves no table or file behind', async () => {
    const engine = await createNodeEngine();
    const sql: string[] = [];
    const exec = engine.exec.bind(engine);
    engine.exec = (s) => {
      sql.push(s);
      return exec(s);
    };
    await warmUpEngine(engine, new AbortController().signal);
    expect(sql.filter((s) => s.includes('read_csv'))).toHaveLength(WARM_UP_READS);
    const tables = await engine.query<{ name: string }>('SELECT table_name AS name FROM duckdb_tables()');
    expect(tables).toEqual([]);
    await expect(engine.query("SELECT count(*) FROM read_csv('sessionizer-warm-up.csv')")).rejects.toThrow();
    engine.close();
  });

  it('stops between two reads once its signal aborts, and does nothing if aborted before', async () => {
    const engine = await createNodeEngine();
    const stop = new AbortController();
    let reads = 0;
    const exec = engine.exec.bind(engine);
    engine.exec = async (s) => {
      if (s.includes('read_csv') && ++reads === 2) stop.abort();
      return exec(s);
    };
    await warmUpEngine(engine, stop.signal);
    expect(reads).toBe(2);
    reads = 0;
    await warmUpEngine(engine, stop.signal);
    expect(reads).toBe(0);
    engine.close();
  });
});
