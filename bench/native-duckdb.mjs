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
 *   node bench/native-duckdb.mjs exports <file.csv> <minutes>
 *     reads the file into a raw table (every cell as text) and an events table (row, user,
 *     instant, url, gap), as the page holds them after a load (not timed: `prepareMs`), then
 *     times `COPY (<export>) TO <file> (FORMAT csv | parquet)` of the page's four exports
 *     (src/sql/export-sql.ts, src/state/exports.ts: the same columns, order and formats) at
 *     that threshold, each until its file is written; reports each file's size and rows.
 *
 * Prints one JSON object on stdout. The timed span starts after the database is open (the
 * app's engine is also already started when a file is chosen); opening it is reported as
 * `openMs`.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

/** @param {string} name */
const ident = (name) => `"${name.replaceAll('"', '""')}"`;
/** @param {string} text */
const literal = (text) => `'${text.replaceAll("'", "''")}'`;

/**
 * The page's four exports as native COPY statements over `raw` and `ev` (see `exports`):
 * the same SQL as src/sql/export-sql.ts writes for a gap-only rule, and the same Parquet
 * column types as src/state/exports.ts gives its writer.
 * @param {string[]} columns the raw table's columns, in file order
 * @param {number} thresholdUs
 * @param {string} dir where the files go
 */
export function exportStatements(columns, thresholdUs, dir) {
  const sessionized = `SELECT row_number, user_id, ts_us, url,
      sum(CASE WHEN gap_us IS NULL OR gap_us >= ${thresholdUs} THEN 1 ELSE 0 END)
        OVER (PARTITION BY user_id ORDER BY ts_us, row_number ROWS UNBOUNDED PRECEDING) AS session_number
    FROM ev`;
  const events = `SELECT ${columns.map((c) => `r.${ident(c)}`).join(', ')},
      s.user_id || '-' || CAST(s.session_number AS VARCHAR) AS session_id,
      CAST(s.session_number AS BIGINT) AS session_number
    FROM (${sessionized}) AS s JOIN raw AS r ON r.rowid + 1 = s.row_number
    ORDER BY s.user_id, s.ts_us, s.row_number`;
  const sessions = `SELECT user_id, session_number, min(ts_us) AS start_us, max(ts_us) AS end_us, count(*) AS event_count,
      arg_min(url, (ts_us, row_number)) AS first_url, arg_max(url, (ts_us, row_number)) AS last_url
    FROM (${sessionized}) GROUP BY user_id, session_number`;
  const iso = (/** @type {string} */ us) => `strftime(make_timestamp(${us}), '%Y-%m-%dT%H:%M:%S.%gZ')`;
  const sessionsText = `SELECT user_id || '-' || CAST(session_number AS VARCHAR) AS session_id, user_id,
      CAST(session_number AS BIGINT) AS session_number, ${iso('start_us')} AS start_time, ${iso('end_us')} AS end_time,
      CAST(round((end_us - start_us) / 1000000, 3) AS DECIMAL(18,3)) AS duration_seconds,
      CAST(event_count AS BIGINT) AS event_count, first_url, last_url
    FROM (${sessions}) ORDER BY user_id, session_number`;
  const sessionsTyped = `SELECT user_id || '-' || CAST(session_number AS VARCHAR) AS session_id, user_id,
      CAST(session_number AS BIGINT) AS session_number, make_timestamp(start_us) AS start_time, make_timestamp(end_us) AS end_time,
      (end_us - start_us) / 1000000 AS duration_seconds, CAST(event_count AS BIGINT) AS event_count, first_url, last_url
    FROM (${sessions}) ORDER BY user_id, session_number`;
  const csv = `(FORMAT csv, HEADER true, DELIMITER ',', QUOTE '"', ESCAPE '"', NULL '')`;
  const to = (/** @type {string} */ name) => literal(path.join(dir, name));
  return [
    { id: 'events-csv', file: 'events.csv', sql: `COPY (${events}) TO ${to('events.csv')} ${csv}` },
    { id: 'sessions-csv', file: 'sessions.csv', sql: `COPY (${sessionsText}) TO ${to('sessions.csv')} ${csv}` },
    { id: 'events-parquet', file: 'events.parquet', sql: `COPY (${events}) TO ${to('events.parquet')} (FORMAT parquet)` },
    { id: 'sessions-parquet', file: 'sessions.parquet', sql: `COPY (${sessionsTyped}) TO ${to('sessions.parquet')} (FORMAT parquet)` },
  ];
}

/**
 * @param {string} file
 * @param {number} minutes
 */
async function exportsRun(file, minutes) {
  const { connection, openMs } = await open();
  let started = performance.now();
  await connection.run(`CREATE TABLE raw AS SELECT * FROM ${csv(file)}`);
  await connection.run(`
    CREATE TABLE ev AS
    SELECT row_number, u AS user_id, ts_us, url, ts_us - lag(ts_us) OVER (PARTITION BY u ORDER BY ts_us, row_number) AS gap_us
    FROM (SELECT rowid + 1 AS row_number, user_id AS u, epoch_us(TRY_CAST("timestamp" AS TIMESTAMPTZ)) AS ts_us, url FROM raw)
    WHERE u IS NOT NULL AND trim(u) <> '' AND ts_us IS NOT NULL
    ORDER BY u, ts_us, row_number`);
  const prepareMs = performance.now() - started;
  const columns = (await connection.runAndReadAll('DESCRIBE raw')).getRowObjectsJS().map((r) => String(r.column_name));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-native-exports-'));
  /** @type {{ id: string, ms: number, bytes: number, rows: number }[]} */
  const exports = [];
  try {
    for (const e of exportStatements(columns, Math.round(minutes * 60 * 1_000_000), dir)) {
      started = performance.now();
      const reader = await connection.runAndReadAll(e.sql);
      const ms = performance.now() - started;
      const target = path.join(dir, e.file);
      const bytes = statSync(target).size;
      rmSync(target, { force: true });
      exports.push({ id: e.id, ms, bytes, rows: Number(Object.values(reader.getRowObjectsJS()[0] ?? {})[0] ?? Number.NaN) });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { openMs, prepareMs, minutes, exports, peakRssBytes: peakRssBytes() };
}

if (process.argv[2] === 'exports') {
  const [, , , file, minutes] = process.argv;
  if (!file) {
    process.stderr.write('usage: node bench/native-duckdb.mjs exports <file.csv> [minutes]\n');
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(await exportsRun(file, Number(minutes ?? 30)))}\n`);
} else {
  await runBaseline('bench/native-duckdb.mjs', { load, thresholds });
}
