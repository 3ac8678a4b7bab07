import { minutesToUs } from '../domain/threshold';
import { rulesKey, type SessionRules } from '../domain/rules';
import { sessionListKey, type SessionPage, type SessionPageQuery, type SessionsOverTime, type TimeBinChoice } from '../domain/session-list';
import { userIdsSql } from '../sql/gap-columns-sql';
import type { StatsEngine } from '../stats/stats-engine';
import type { DatasetHandle } from './dataset-handle';
import { engineMessage } from './load-errors';
import { ensureSplitColumn } from './views';
import { keptEventsFor } from './kept-events';
import { NO_USER_FILTERS, userFiltersKey, type UserFilters } from '../domain/user-filters';

/*
 * The session list's pages and the sessions-over-time bins, asked for by their panels at
 * the threshold and rules the controls show (not the result on screen), so they follow the
 * slider as it moves. Each answer carries the key of what it was made for: a panel shows
 * it only while that is still the key of the settings, and drops the late ones.
 */

export interface Settings {
  gapMinutes: number;
  rules: SessionRules;
  /** The users left out (bots, test accounts): the list and the bins count the others only. */
  userFilters?: UserFilters;
}

/** What an answer was made for: the dataset, threshold, rules and user filter. */
export function settingsKey(eventsTable: string, s: Settings): string {
  return `${eventsTable}|${s.gapMinutes}|${rulesKey(s.rules)}|${userFiltersKey(s.userFilters ?? NO_USER_FILTERS)}`;
}

/** The events the settings read: the dataset's, or the kept users' (a worker copy and a DuckDB view of one name). */
async function eventsTableFor(stats: StatsEngine, handle: DatasetHandle, s: Settings): Promise<string> {
  return (await keptEventsFor(stats, handle, s.userFilters ?? NO_USER_FILTERS))?.table ?? handle.label.eventsTable;
}

/** The key of a session list answer: the settings, the filter and the order (not the page's offset). */
export function sessionListAnswerKey(eventsTable: string, s: Settings, query: Pick<SessionPageQuery, 'filter' | 'sort' | 'direction'>): string {
  return `${settingsKey(eventsTable, s)}|${sessionListKey(query)}`;
}

/** The key of a sessions-over-time answer. */
export function sessionsOverTimeKey(eventsTable: string, s: Settings, timeZone: string, bins: TimeBinChoice): string {
  return `${settingsKey(eventsTable, s)}|${timeZone}|${bins}`;
}

export type Answer<T> = { ok: true; key: string; value: T } | { ok: false; key: string; message: string };

/**
 * Gives the worker the users' ids when it does not hold them yet: from DuckDB's events table,
 * or, after a quick read, its own (then also for a file DuckDB cannot hold). The list waits
 * for DuckDB's side to settle either way, as it did when its ids came from DuckDB only: the
 * list's first session table then does not queue in the worker ahead of the first threshold
 * changes after a load.
 */
async function ensureUserIds(stats: StatsEngine, handle: DatasetHandle, key: string): Promise<void> {
  handle.showSql();
  await handle.sql.catch(() => {});
  if (await stats.hasUserIds(key)) return;
  const ipc = await handle.withSql((engine) => engine.queryIpc(userIdsSql(key)));
  await stats.loadUserIds(key, ipc);
}

export async function sessionListPage(stats: StatsEngine, handle: DatasetHandle, s: Settings, query: SessionPageQuery): Promise<Answer<SessionPage>> {
  const key = sessionListAnswerKey(handle.label.eventsTable, s, query);
  return answer(key, async () => {
    const table = await eventsTableFor(stats, handle, s);
    await ensureUserIds(stats, handle, table);
    await ensureSplitColumn(stats, handle, s.rules, table);
    return stats.sessionPage(table, minutesToUs(s.gapMinutes), s.rules, query);
  });
}

export async function sessionsOverTimeOf(
  stats: StatsEngine,
  handle: DatasetHandle,
  s: Settings,
  timeZone: string,
  bins: TimeBinChoice,
): Promise<Answer<SessionsOverTime>> {
  const key = sessionsOverTimeKey(handle.label.eventsTable, s, timeZone, bins);
  return answer(key, async () => {
    const table = await eventsTableFor(stats, handle, s);
    await ensureSplitColumn(stats, handle, s.rules, table);
    return stats.sessionsOverTime(table, minutesToUs(s.gapMinutes), s.rules, timeZone, bins);
  });
}

/** A failure is an answer the panel shows (a dataset replaced meanwhile says so too). */
async function answer<T>(key: string, make: () => Promise<T>): Promise<Answer<T>> {
  try {
    return { ok: true, key, value: await make() };
  } catch (error) {
    return { ok: false, key, message: engineMessage(error) };
  }
}
