import type { Engine } from '../engine/engine';

/** Reads a dictionaryColumnSql result (Arrow IPC), and drops the type it made. */
export async function dictionaryColumnIpc(engine: Engine, sql: { query: string; drop: string }): Promise<Uint8Array> {
  try {
    return await engine.queryIpc(sql.query);
  } finally {
    await engine.exec(sql.drop);
  }
}
