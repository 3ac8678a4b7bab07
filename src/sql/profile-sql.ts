import { isRoleName } from '../domain/detect-columns';
import { quoteIdent } from './quote';
import { timestampUsSql } from './timestamp-sql';

/*
 * A profile of the first rows of each column, for guessing which column is the user,
 * the timestamp and the url. UNPIVOT turns the sample into (column, value) pairs so one
 * GROUP BY describes every column, however many the file has.
 */

export const PROFILE_SAMPLE_ROWS = 2000;

/** Past this many columns only the first ones are profiled for detection. */
const MAX_PROFILED_COLUMNS = 300;

/** The columns profiled: in wide files the first ones, plus any later one whose name says what it is. */
export function profiledColumns(columns: readonly string[]): string[] {
  return columns.filter((c, i) => i < MAX_PROFILED_COLUMNS || isRoleName(c));
}

/** How many of a column's first distinct non-empty values the profile keeps, as evidence for the mapping. */
export const PROFILE_SAMPLE_VALUES = 3;
/** A sample value is cut to this many characters (a long url or JSON cell would fill the page). */
export const SAMPLE_VALUE_CHARS = 60;

export function columnProfileSql(rawTable: string, columns: readonly string[]): string {
  const selected = columns.map((c, i) => `CAST(${quoteIdent(c)} AS VARCHAR) AS c${i}`).join(', ');
  const iso = timestampUsSql('v', 'iso');
  // strptime with a month name is the profile's dearest test (half its time on ISO text); a
  // CLF timestamp has two slashes and then a colon, so other text need not be tried.
  const samples = Array.from({ length: PROFILE_SAMPLE_VALUES }, (_, k) => `max(v) FILTER (WHERE k = ${k + 1}) AS s${k + 1}`).join(', ');
  // The rows are numbered after the LIMIT: a window over the whole table comes before any
  // LIMIT, and numbered every row of a million-row table for 2,000 of them.
  return `WITH sample AS (SELECT *, row_number() OVER () AS r FROM (SELECT ${selected} FROM ${quoteIdent(rawTable)} LIMIT ${PROFILE_SAMPLE_ROWS})),
long AS (UNPIVOT sample ON COLUMNS(* EXCLUDE (r)) INTO NAME col VALUE v),
firsts AS (SELECT col, v, r FROM long WHERE trim(v) <> '' QUALIFY row_number() OVER (PARTITION BY col, v ORDER BY r) = 1),
ranked AS (SELECT col, left(v, ${SAMPLE_VALUE_CHARS}) AS v, row_number() OVER (PARTITION BY col ORDER BY r) AS k FROM firsts),
samples AS (SELECT col, ${samples} FROM ranked WHERE k <= ${PROFILE_SAMPLE_VALUES} GROUP BY col),
profiles AS (
SELECT col,
  count(*) FILTER (WHERE trim(v) <> '')::DOUBLE AS "nonEmpty",
  count(DISTINCT v)::DOUBLE AS "distinct",
  count(*) FILTER (WHERE TRY_CAST(trim(v) AS DOUBLE) IS NOT NULL)::DOUBLE AS "numeric",
  median(abs(TRY_CAST(trim(v) AS DOUBLE)))::DOUBLE AS "numericMedian",
  count(*) FILTER (WHERE regexp_full_match(trim(v), '[-+]?\\d*\\.\\d+'))::DOUBLE AS "decimal",
  count(${iso})::DOUBLE AS iso,
  count(*) FILTER (WHERE ${iso} % 86400000000 = 0)::DOUBLE AS "isoMidnight",
  count(${timestampUsSql('v', 'dmy')})::DOUBLE AS dmy,
  count(${timestampUsSql('v', 'mdy')})::DOUBLE AS mdy,
  count(CASE WHEN v LIKE '%/%/%:%' THEN ${timestampUsSql('v', 'clf')} END)::DOUBLE AS clf,
  count(*) FILTER (WHERE regexp_full_match(trim(v), '\\d{1,2}:\\d{2}(:\\d{2}([.,]\\d+)?)?'))::DOUBLE AS "timeOfDay",
  count(*) FILTER (WHERE regexp_matches(v, '\\d:\\d\\d'))::DOUBLE AS "withClock",
  count(*) FILTER (WHERE regexp_matches(trim(v), '^(/|https?://|www\\.)'))::DOUBLE AS "urlLike"
FROM long GROUP BY col)
SELECT CAST(substr(p.col, 2) AS INTEGER) AS idx, p.*, (SELECT count(*) FROM sample)::DOUBLE AS "sampleRows", ${Array.from({ length: PROFILE_SAMPLE_VALUES }, (_, k) => `s.s${k + 1}`).join(', ')}
FROM profiles p LEFT JOIN samples s USING (col) ORDER BY idx`;
}

/**
 * The most frequent non-empty values of each of `columns` in the profiled rows (up to
 * `perColumn` each, most frequent first), for the page to show when it asks which column
 * plays a role.
 */
export function sampleValuesSql(rawTable: string, columns: readonly string[], perColumn: number): string {
  const selected = columns.map((c, i) => `CAST(${quoteIdent(c)} AS VARCHAR) AS c${i}`).join(', ');
  return `WITH sample AS (SELECT ${selected} FROM ${quoteIdent(rawTable)} LIMIT ${PROFILE_SAMPLE_ROWS}),
long AS (UNPIVOT sample ON COLUMNS(*) INTO NAME col VALUE v),
counted AS (SELECT col, v, count(*) AS n FROM long WHERE trim(v) <> '' GROUP BY col, v),
ranked AS (SELECT col, v, row_number() OVER (PARTITION BY col ORDER BY n DESC, v) AS r FROM counted)
SELECT CAST(substr(col, 2) AS INTEGER) AS idx, v AS value FROM ranked WHERE r <= ${Math.max(1, Math.floor(perColumn))} ORDER BY idx, r`;
}
