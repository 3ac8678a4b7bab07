import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { profileColumns } from './detect-mapping';
import type { RawTable } from './raw-table';

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(() => engine.close());

describe('column profiles as evidence for the mapping', () => {
  it('count the sample rows, the filled cells, the distinct values and keep the first distinct values in file order', async () => {
    await engine.exec(`CREATE TABLE raw_profile AS SELECT * FROM (VALUES
      (1, NULL, 'b', '2024-05-01T10:00:00Z'),
      (2, 'u9', 'a', '2024-05-01T10:01:00Z'),
      (3, '  ', 'b', '2024-05-01T10:02:00Z'),
      (4, 'u9', 'c', '2024-05-01T10:03:00Z'),
      (5, 'u1', 'd', '2024-05-01T10:04:00Z')) t(n, "user id", pseudo, ts) ORDER BY n`);
    const raw = { table: 'raw_profile', columns: ['user id', 'pseudo', 'ts'] } as RawTable;
    const profiles = await profileColumns(engine, raw);
    const user = profiles.find((p) => p.column === 'user id');
    const pseudo = profiles.find((p) => p.column === 'pseudo');
    expect(user).toMatchObject({ sampleRows: 5, nonEmpty: 3, samples: ['u9', 'u1'] });
    expect(pseudo).toMatchObject({ sampleRows: 5, nonEmpty: 5, distinct: 4, samples: ['b', 'a', 'c'] });
  });
});
