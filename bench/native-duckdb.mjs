// @ts-check
/**
 * Native DuckDB (@duckdb/node-api, threads=2) running the plain sessionization SQL on a
 * benchmark file. Run as a child process by bench/run.mjs, one process per measurement, so
 * that its peak RSS belongs to that measurement alone:
 *
 *   node bench/native-duckdb.mjs load <file.csv>
 *     one end-to-end run: read_csv (all_varchar) -> TRY_CAST(... AS TIMESTAMPTZ) -> LAG gap
 *     per user -> session number by running sum -> count of sessions at 30 minutes.
 *   node bench/native-duckdb.mjs thresholds <file.csv> <minutes,minutes,...>
 *     materializes (user, ts, gap_us) sorted by user and time once, then times one
 *     `count(*) FILTER (gap >= threshold)` query per threshold.
 *
 * Prints one JSON object on stdout. The timed span starts after the database is open (the
 * app's engine is also already started when a file is chosen); opening it is reported as
 * `openMs`.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { peakRssBytes, runBaseline } from './stats.mjs';

const THIRTY_MINUTES_US = 30 * 60 * 1_000_000;

/** @param {string} file */
const csv = (file) => `read_csv('${file.replaceAll("'", "''")}', all_varchar = true, header = true)`;

/**
 * The gap of each valid event to the same user's previous one.
 * @param {string} file
 */
function gapsSql(file) {
  return `
    WITH ev AS (
      SELECT user_id AS u, TRY_CAST("timestamp" AS TIMESTAMPTZ) AS ts FROM ${csv(file)}
    )
    SELECT u, ts, epoch_us(ts) - epoch_us(lag(ts) OVER (PARTITION BY u ORDER BY ts)) AS gap_us
    FROM ev
    WHERE u IS NOT NULL AND trim(u) <> '' AND ts IS NOT NULL`;
}

/**
 * The whole sessionization, ending in the figures the page's first result shows.
 * @param {string} file
 */
export function sessionizeSql(file) {
  return `
    WITH g AS (${gapsSql(file)}),
    numbered AS (
      SELECT u, sum(CASE WHEN gap_us IS NULL OR gap_us >= ${THIRTY_MINUTES_US} THEN 1 ELSE 0 END)
               OVER (PARTITION BY u ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS session_number
      FROM g
    )
    SELECT count(*)::BIGINT AS events, count(DISTINCT u)::BIGINT AS users,
           count(DISTINCT (u, session_number))::BIGINT AS sessions
    FROM numbered`;
}

async function open() {
  const started = performance.now();
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const connection = await instance.connect();
  return { instance, connection, openMs: performance.now() - started };
}

/** @param {string} file */
async function load(file) {
  const { connection, openMs } = await open();
  const started = performance.now();
  const reader = await connection.runAndReadAll(sessionizeSql(file));
  const ms = performance.now() - started;
  const [row] = reader.getRowObjectsJS();
  return { openMs, ms, events: Number(row?.events), users: Number(row?.users), sessions: Number(row?.sessions), peakRssBytes: peakRssBytes() };
}

/**
 * @param {string} file
 * @param {number[]} minutes
 */
async function thresholds(file, minutes) {
  const { connection, openMs } = await open();
  let started = performance.now();
  await connection.run(`CREATE TABLE ev AS SELECT * FROM (${gapsSql(file)}) ORDER BY u, ts`);
  const prepareMs = performance.now() - started;
  /** @type {{ minutes: number, ms: number, sessions: number }[]} */
  const changes = [];
  for (const m of minutes) {
    const us = Math.round(m * 60 * 1_000_000);
    started = performance.now();
    const reader = await connection.runAndReadAll(`SELECT count(*) FILTER (WHERE gap_us IS NULL OR gap_us >= ${us})::BIGINT AS sessions FROM ev`);
    const ms = performance.now() - started;
    changes.push({ minutes: m, ms, sessions: Number(reader.getRowObjectsJS()[0]?.sessions) });
  }
  return { openMs, prepareMs, changes, peakRssBytes: peakRssBytes() };
}

await runBaseline('bench/native-duckdb.mjs', { load, thresholds });
