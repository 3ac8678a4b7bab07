import { it } from 'vitest';
import { createNodeEngine } from '../test/node-engine';

it('pieces', async () => {
  const e = await createNodeEngine();
  const file = process.env.FILE ?? 'bench/data/clicks-1000000-seed7-ooo0.02.csv';
  const t = (label: string) => {
    const s = performance.now();
    return () => console.log(label, (performance.now() - s).toFixed(0), 'ms');
  };
  let done = t('read');
  await e.exec(`CREATE TABLE raw AS SELECT * FROM read_csv('${process.cwd()}/${file}', all_varchar=true)`);
  done();
  done = t('positions');
  await e.exec(
    `CREATE TABLE pos AS SELECT p FROM (SELECT rowid AS r, (row_number() OVER (ORDER BY user_id, "timestamp", rowid) - 1) AS p FROM raw) ORDER BY r`,
  );
  await e.exec(`CREATE TABLE num AS SELECT (hash(rowid) % 5)::BIGINT AS n FROM raw`);
  done();
  const rows = Number((await e.query<{ n: number }>('SELECT count(*)::DOUBLE AS n FROM raw'))[0]?.n);
  const cols = '"user_id","timestamp","url","referrer","device"';
  for (let rep = 0; rep < 2; rep++) {
    done = t('A: ordered table (wide sort)');
    await e.exec(`CREATE OR REPLACE TABLE ordered AS SELECT r.*, p.p, n.n FROM raw r POSITIONAL JOIN pos p POSITIONAL JOIN num n ORDER BY p.p`);
    done();
    done = t('A: chunks');
    for (let from = 0; from < rows; from += 122880) {
      const f = await e.scratchFileName(`a_${rep}_${from}.csv`);
      await e.exec(
        `COPY (SELECT ${cols}, user_id || '-' || CAST(n AS VARCHAR) AS session_id, n AS session_number FROM ordered WHERE p >= ${from} AND p < ${from + 122880}) TO '${f}' (FORMAT CSV, HEADER false)`,
      );
      await e.takeFile(f);
    }
    done();
    for (const piece of [rows, Math.ceil(rows / 4)]) {
      done = t(`B: pieces of ${piece}`);
      for (let from = 0; from < rows; from += piece) {
        const f = await e.scratchFileName(`b_${rep}_${piece}_${from}.csv`);
        await e.exec(
          `COPY (SELECT ${cols}, user_id || '-' || CAST(n AS VARCHAR) AS session_id, n AS session_number FROM (SELECT r.*, p.p, n.n FROM raw r POSITIONAL JOIN pos p POSITIONAL JOIN num n) WHERE p >= ${from} AND p < ${from + piece} ORDER BY p) TO '${f}' (FORMAT CSV, HEADER false)`,
        );
        await e.takeFile(f);
      }
      done();
    }
  }
}, 900_000);
