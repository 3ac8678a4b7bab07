import { minutesToUs } from '../domain/threshold';
import type { TopUserRow, UserSuggestionRow } from '../domain/types';
import type { ExcludedUserRow } from '../domain/user-filters';
import { topUsersSql, userIdsOfRowsSql, userSuggestionsSql } from '../sql/user-sql';
import { excludedUsersListSql } from '../sql/exclude-sql';
import { DatasetDisposedError, type DatasetHandle, TablesUnavailableError } from './dataset-handle';
import { engineMessage } from './load-errors';
import type { Dataset, SessionResult } from './types';
import { resultKey } from './views';

/*
 * Lookups the page asks for directly (the search box, the most active users). They never
 * reject: the panels that ask have nothing to add to a failure, so a failure is reported to
 * the page, and a dataset replaced meanwhile or without DuckDB tables (the page already says
 * why) gives none.
 */

type Report = (message: string) => void;

/** Users whose id starts with `prefix` (most active first). */
export function suggestUsers(handle: DatasetHandle, eventsTable: string, prefix: string, limit: number, report: Report): Promise<UserSuggestionRow[]> {
  const rows = handle.withSql((engine) => engine.query<UserSuggestionRow>(userSuggestionsSql(eventsTable, prefix, limit)));
  return answerOrNone(rows, [], 'The user suggestions', report);
}

/** The most active users, by events or by sessions at `result`. */
export async function topUsers(
  handle: DatasetHandle,
  result: SessionResult,
  by: 'events' | 'sessions',
  limit: number,
  report: Report,
): Promise<{ key: string; rows: TopUserRow[] }> {
  const spec = { eventsTable: result.eventsTable, thresholdUs: minutesToUs(result.gapMinutes), boundary: result.rules.boundary };
  const rows = handle.withSessionTable(result, (engine, sessionTable) => engine.query<TopUserRow>(topUsersSql({ ...spec, sessionTable }, by, limit)));
  return { key: resultKey(result), rows: await answerOrNone(rows, [], 'The most active users', report) };
}

/** The users the result's filter leaves out, most events first, with their event counts. */
export async function excludedUsers(
  handle: DatasetHandle,
  result: SessionResult,
  limit: number,
  report: Report,
): Promise<{ key: string; rows: ExcludedUserRow[] }> {
  const exclusion = result.exclusion;
  if (!exclusion) return { key: resultKey(result), rows: [] };
  const rows = handle.withSql(async (engine, side) => {
    const sql = excludedUsersListSql(
      { eventsTable: exclusion.datasetTable, rawTable: side.raw.table, columns: side.raw.columns, filters: exclusion.filters },
      limit,
    );
    return sql ? engine.query<ExcludedUserRow>(sql) : [];
  });
  return { key: resultKey(result), rows: await answerOrNone(rows, [], 'The left-out users', report) };
}

/** The user id of each of these rows of the events table. */
export async function usersOfRows(handle: DatasetHandle, dataset: Dataset, rows: readonly number[], report: Report): Promise<Map<number, string>> {
  if (rows.length === 0) return new Map();
  const found = handle.withSql((engine) => engine.query<{ row: number; userId: string }>(userIdsOfRowsSql(dataset.events.table, rows)));
  const list = await answerOrNone(found, [], 'The changed users', report);
  return new Map(list.map((r) => [r.row, r.userId]));
}

async function answerOrNone<T>(answer: Promise<T>, none: T, what: string, report: Report): Promise<T> {
  try {
    return await answer;
  } catch (error) {
    if (!(error instanceof DatasetDisposedError || error instanceof TablesUnavailableError)) report(`${what} could not be found: ${engineMessage(error)}`);
    return none;
  }
}
