import type { Boundary } from '../domain/types';
import { minutesToUs } from '../domain/threshold';

/*
 * The session steps of the SQL panel's queries: from the valid events (user, instant in µs,
 * optional row order) to `numbered`, where `<h>n` is each event's session number. Shared by
 * the text and the typed input of every engine (dialect-sql.ts), and by PySpark's
 * expressions.
 *
 * With the gap, the boundary and midnight only, a cut depends on the previous event alone:
 * LAG and a running SUM. Maximum duration, maximum events and the column change depend on
 * where the session was cut so far (src/domain/rules.ts), so they are walked event by event:
 * a recursive CTE where the engine has one, Spark's aggregate() over each group's sorted
 * events where it has not. The walk runs within segments (runs of events that no gap and no
 * midnight separates): its depth is the longest segment, not the busiest user's event count.
 */

/** A WITH step: name, body, and whether the dialect's fence applies (`parsed AS MATERIALIZED`). */
export type Step = [name: string, body: string, fenced?: boolean];

/** The rules beyond the gap and the boundary (src/domain/rules.ts), as the SQL panel expresses them. */
export interface SqlRules {
  maxDurationMinutes: number | null;
  maxEvents: number | null;
  /** IANA zone for the midnight cut, null when off. */
  midnightTimeZone: string | null;
  /** Column (of the table) whose change cuts, null when off. */
  splitColumn: string | null;
}

export const NO_SQL_RULES: SqlRules = { maxDurationMinutes: null, maxEvents: null, midnightTimeZone: null, splitColumn: null };

/** What the session steps need of an engine. */
export interface RulesDialect {
  str(value: string): string;
  trim(x: string): string;
  textType: string;
  bigintType: string;
  /** The local calendar day of an instant (µs since the epoch) in an IANA zone, comparable with `>`. */
  localDay(us: string, zone: string): string;
  /** How the engine walks the cut-dependent rules. */
  walk: 'recursive' | 'aggregate';
}

export interface SessionStepsInput {
  /** Helper prefix (`__`). */
  h: string;
  /** The step holding every row with `<h>user` and `<h>ts_us`. */
  from: string;
  /** Condition keeping the rows that are events (user and instant present). */
  valid: string;
  /** ORDER BY of a user's events: `<h>ts_us[, <h>ord]`. */
  order: string;
  thresholdUs: number;
  boundary: Boundary;
  rules: SqlRules;
  /** Users with more events than this are left out before sessionizing; null: none. */
  excludeUsersOverEvents: number | null;
  /** SQL of the split column's value in the steps after `from` (null when the rule is off). */
  splitValue: string | null;
}

export interface SessionSteps {
  steps: Step[];
  /** Columns the steps add to each event (for SELECT * EXCLUDE). */
  helpers: string[];
  /** True when a step is recursive (WITH RECURSIVE). */
  recursive: boolean;
}

/** Whether maximum duration, maximum events or the column change is on (the walk is needed). */
export function hasWalkedRules(rules: SqlRules): boolean {
  return rules.maxDurationMinutes !== null || rules.maxEvents !== null || rules.splitColumn !== null;
}

export function positiveUs(minutes: number, what: string): number {
  const us = minutesToUs(minutes);
  if (!(Number.isFinite(minutes) && Number.isSafeInteger(us) && us > 0))
    throw new RangeError(`${what} must be a positive number of minutes of at least 1 µs, got ${minutes}.`);
  return us;
}

export function positiveCount(n: number, what: string): number {
  if (!(Number.isSafeInteger(n) && n >= 1)) throw new RangeError(`${what} must be a whole number of at least 1, got ${n}.`);
  return n;
}

/** The condition of a cut by the previous event alone: the gap (and midnight). */
export function hardCut(input: SessionStepsInput): string {
  const { h } = input;
  const op = input.boundary === 'gt' ? '>' : '>=';
  const midnight = input.rules.midnightTimeZone === null ? '' : ` OR ${h}day > ${h}prev_day`;
  return `${h}gap_us IS NULL OR ${h}gap_us ${op} ${input.thresholdUs}${midnight}`;
}

/** The condition of a cut by the session so far: `prev` names the walk's state, `cur` the event's columns. */
export function walkedCut(input: SessionStepsInput, prev: { start: string; events: string; last: string }, cur: { ts: string; split: string }): string {
  const { rules } = input;
  const parts: string[] = [];
  if (rules.maxDurationMinutes !== null) parts.push(`${cur.ts} - ${prev.start} >= ${positiveUs(rules.maxDurationMinutes, 'The maximum duration')}`);
  if (rules.maxEvents !== null) parts.push(`${prev.events} >= ${positiveCount(rules.maxEvents, 'The maximum number of events')}`);
  if (rules.splitColumn !== null) parts.push(`(${cur.split} IS NOT NULL AND ${prev.last} IS NOT NULL AND ${cur.split} <> ${prev.last})`);
  return parts.join(' OR ');
}

/** `<h>split`: the split column's value as text, NULL when empty or blank (the page's rule). */
export function splitText(d: RulesDialect, value: string): string {
  const text = `CAST(${value} AS ${d.textType})`;
  return `CASE WHEN ${d.trim(text)} = '' THEN NULL ELSE ${text} END`;
}

export function sessionSteps(d: RulesDialect, input: SessionStepsInput): SessionSteps {
  const { h, order, rules } = input;
  const steps: Step[] = [];
  const helpers: string[] = [];
  const byUser = `PARTITION BY ${h}user ORDER BY ${order}`;
  const running = `OVER (\n      ${byUser}\n      RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`;

  let from = input.from;
  let where = input.valid;
  if (input.excludeUsersOverEvents !== null) {
    const limit = positiveCount(input.excludeUsersOverEvents, 'The events limit per user');
    steps.push(['counted', `SELECT *,\n    count(*) OVER (PARTITION BY ${h}user) AS ${h}user_events\n  FROM ${from}\n  WHERE ${where}`]);
    helpers.push(`${h}user_events`);
    from = 'counted';
    where = `${h}user_events <= ${limit}`;
  }
  const gapItems = [`${h}ts_us - lag(${h}ts_us) OVER (${byUser}) AS ${h}gap_us`];
  helpers.push(`${h}gap_us`);
  if (rules.midnightTimeZone !== null) {
    const zone = rules.midnightTimeZone;
    gapItems.push(`${d.localDay(`${h}ts_us`, zone)} AS ${h}day`, `${d.localDay(`lag(${h}ts_us) OVER (${byUser})`, zone)} AS ${h}prev_day`);
    helpers.push(`${h}day`, `${h}prev_day`);
  }
  steps.push(['gaps', `SELECT *,\n    ${gapItems.join(',\n    ')}\n  FROM ${from}\n  WHERE ${where}`]);
  const hard = `sum(CASE WHEN ${hardCut(input)} THEN 1 ELSE 0 END) ${running}`;

  if (!hasWalkedRules(rules)) {
    steps.push(['numbered', `SELECT *,\n    ${hard} AS ${h}n\n  FROM gaps`]);
    helpers.push(`${h}n`);
    return { steps, helpers, recursive: false };
  }

  const split = rules.splitColumn !== null && input.splitValue !== null;
  steps.push(['segments', `SELECT *,\n    ${hard} AS ${h}seg\n  FROM gaps`]);
  const orderedItems = [`row_number() OVER (PARTITION BY ${h}user, ${h}seg ORDER BY ${order}) AS ${h}i`];
  if (split && input.splitValue) orderedItems.push(`${splitText(d, input.splitValue)} AS ${h}split`);
  steps.push(['ordered', `SELECT *,\n    ${orderedItems.join(',\n    ')}\n  FROM segments`]);
  helpers.push(`${h}seg`, `${h}i`, ...(split ? [`${h}split`] : []), `${h}n`);

  const walk = d.walk === 'recursive' ? recursiveWalk(d, input, split) : aggregateWalk(d, input, split);
  steps.push(...walk);
  const key = (a: string, b: string) => [`${h}user`, `${h}seg`, `${h}i`].map((c) => `${a}.${c} = ${b}.${c}`).join(' AND ');
  steps.push([
    'numbered',
    `SELECT ${h}o.*,\n    sum(CASE WHEN ${h}w.${h}cut THEN 1 ELSE 0 END) OVER (\n      PARTITION BY ${h}o.${h}user ORDER BY ${h}o.${h}seg, ${h}o.${h}i\n      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS ${h}n\n  FROM ordered AS ${h}o\n  JOIN walk AS ${h}w ON ${key(`${h}o`, `${h}w`)}`,
  ]);
  return { steps, helpers, recursive: d.walk === 'recursive' };
}

/** walk: one row per event with `<h>cut`, by recursion over each segment's events in order. */
function recursiveWalk(d: RulesDialect, input: SessionStepsInput, split: boolean): Step[] {
  const { h, rules } = input;
  const [w, o] = [`${h}w`, `${h}o`];
  const cut = walkedCut(
    input,
    { start: `${w}.${h}start_us`, events: `${w}.${h}events`, last: `${w}.${h}last` },
    { ts: `${o}.${h}ts_us`, split: `${o}.${h}split` },
  );
  const one = `CAST(1 AS ${d.bigintType})`;
  const anchor = [`${h}user`, `${h}seg`, `${h}i`];
  const next = [`${o}.${h}user`, `${o}.${h}seg`, `${o}.${h}i`];
  if (rules.maxDurationMinutes !== null) {
    anchor.push(`${h}ts_us AS ${h}start_us`);
    next.push(`CASE WHEN ${cut} THEN ${o}.${h}ts_us ELSE ${w}.${h}start_us END`);
  }
  if (rules.maxEvents !== null) {
    anchor.push(`${one} AS ${h}events`);
    next.push(`CASE WHEN ${cut} THEN ${one} ELSE ${w}.${h}events + 1 END`);
  }
  if (split) {
    anchor.push(`${h}split AS ${h}last`);
    next.push(`CASE WHEN ${cut} THEN ${o}.${h}split ELSE coalesce(${o}.${h}split, ${w}.${h}last) END`);
  }
  anchor.push(`TRUE AS ${h}cut`);
  next.push(cut);
  const on = `${o}.${h}user = ${w}.${h}user AND ${o}.${h}seg = ${w}.${h}seg AND ${o}.${h}i = ${w}.${h}i + 1`;
  return [
    [
      'walk',
      `SELECT ${anchor.join(', ')}\n  FROM ordered\n  WHERE ${h}i = 1\n  UNION ALL\n  SELECT\n    ${next.join(',\n    ')}\n  FROM walk AS ${w}\n  JOIN ordered AS ${o} ON ${on}`,
    ],
  ];
}

/**
 * walk for Spark SQL (no recursive CTE): each segment's events sorted into an array, folded
 * by aggregate() into the array of cuts, zipped back and exploded.
 */
function aggregateWalk(d: RulesDialect, input: SessionStepsInput, split: boolean): Step[] {
  const { h } = input;
  return [
    ['grouped', `SELECT ${h}user, ${h}seg, ${sortedEventsSql(input, split)} AS ${h}evs\n  FROM ordered\n  GROUP BY ${h}user, ${h}seg`],
    ['walked', `SELECT ${h}user, ${h}seg,\n    explode(${foldedCutsSql(d, input, split)}) AS ${h}step\n  FROM grouped`],
    ['walk', `SELECT ${h}user, ${h}seg, ${h}step.i AS ${h}i, ${h}step.cut AS ${h}cut\n  FROM walked`],
  ];
}

/** Spark: a segment's events as an array sorted by `<h>i` (an aggregate over `ordered`'s rows). */
export function sortedEventsSql(input: SessionStepsInput, split: boolean): string {
  const { h } = input;
  return `array_sort(collect_list(struct(${[`${h}i`, `${h}ts_us`, ...(split ? [`${h}split`] : [])].join(', ')})))`;
}

/** Spark: the sorted events `<h>evs` folded by aggregate() into one (i, cut) struct per event. */
export function foldedCutsSql(d: RulesDialect, input: SessionStepsInput, split: boolean): string {
  const { h } = input;
  const cut = walkedCut(
    input,
    { start: `${h}acc.start_us`, events: `${h}acc.events`, last: `${h}acc.last` },
    { ts: `${h}e.${h}ts_us`, split: `${h}e.${h}split` },
  );
  const state = (start: string, events: string, last: string, flag: string) =>
    `named_struct('start_us', ${start}, 'events', ${events}, 'last', ${last}, 'cuts', concat(${h}acc.cuts, array(${flag})))`;
  const last = split ? `${h}e.${h}split` : `CAST(NULL AS ${d.textType})`;
  const keep = split ? `coalesce(${h}e.${h}split, ${h}acc.last)` : `CAST(NULL AS ${d.textType})`;
  const fold =
    `aggregate(\n      ${h}evs,\n      named_struct('start_us', CAST(0 AS BIGINT), 'events', CAST(0 AS BIGINT), 'last', CAST(NULL AS ${d.textType}), 'cuts', CAST(array() AS ARRAY<BOOLEAN>)),\n` +
    `      (${h}acc, ${h}e) -> CASE WHEN size(${h}acc.cuts) = 0 OR ${cut}\n` +
    `        THEN ${state(`${h}e.${h}ts_us`, 'CAST(1 AS BIGINT)', last, 'TRUE')}\n` +
    `        ELSE ${state(`${h}acc.start_us`, `${h}acc.events + 1`, keep, 'FALSE')} END,\n      ${h}acc -> ${h}acc.cuts)`;
  return `zip_with(${h}evs, ${fold},\n      (${h}x, ${h}c) -> named_struct('i', ${h}x.${h}i, 'cut', ${h}c))`;
}

/** The header comment's lines for the rules in force. */
export function rulesLines(rules: SqlRules, excludeUsersOverEvents: number | null, quote: (text: string) => string): string[] {
  const lines: string[] = [];
  if (rules.maxDurationMinutes !== null)
    lines.push(`  Maximum duration: an event at or past the session's start + ${rules.maxDurationMinutes} minutes starts a new session.`);
  if (rules.maxEvents !== null) lines.push(`  Maximum events: the event that would be number ${rules.maxEvents + 1} of a session starts a new one.`);
  if (rules.midnightTimeZone !== null)
    lines.push(`  Midnight: an event on a later calendar day in ${quote(rules.midnightTimeZone)} than the user's previous event starts a new session.`);
  if (rules.splitColumn !== null)
    lines.push(
      `  Column change: an event whose non-empty ${quote(rules.splitColumn)} differs from the last non-empty value in the session starts a new session.`,
    );
  if (hasWalkedRules(rules)) lines.push('  A cut by any rule resets the session start, its event count and its last value.');
  if (excludeUsersOverEvents !== null) lines.push(`Users with more than ${excludeUsersOverEvents} events are left out entirely (before sessionizing).`);
  return lines;
}
