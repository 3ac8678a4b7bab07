import { minutesToUs } from '../domain/threshold';
import { laneUsersByPrefixSql, userIdsOfRowsSql } from '../sql/user-sql';
import type { StatsEngine } from '../stats/stats-engine';
import type { DatasetHandle } from './dataset-handle';
import type { AppState, Lane, LaneUsers, LanesView } from './types';
import { ensureSplitColumn, laneUsersKey, lanesViewKey } from './views';
import { keptEventsFor } from './kept-events';

/*
 * Many users' sessions at once. Which users is settled once per dataset and lane settings
 * (the stats worker picks the most active or a seeded sample by their first rows; DuckDB
 * gives their ids, or finds the users of a prefix); their sessions at each threshold come
 * from the worker, so a threshold change costs one pass over those users' events.
 */

/** Lanes drawn at most, whatever count is asked for. */
export const MAX_LANES = 200;
/** Sessions drawn per lane at most (the count beside the lane is exact). */
export const MAX_BARS_PER_LANE = 2000;

export async function computeLaneUsers(stats: StatsEngine, handle: DatasetHandle, s: AppState): Promise<LaneUsers> {
  const key = laneUsersKey(s);
  const lanes = s.lanes;
  if (!lanes) return { key, users: [] };
  const count = Math.min(MAX_LANES, Math.max(1, Math.floor(lanes.count)));
  // The users a filter keeps (bots left out are never the most active lane).
  const table = (await keptEventsFor(stats, handle, s.userFilters))?.table ?? handle.label.eventsTable;
  if (lanes.mode === 'prefix') {
    const users = await handle.withSql((engine) => engine.query<{ row: number; userId: string }>(laneUsersByPrefixSql(table, lanes.prefix, count)));
    return { key, users };
  }
  const pick = lanes.mode === 'top' ? { kind: 'top' as const, count } : { kind: 'sample' as const, count, seed: lanes.seed };
  const rows = await stats.laneUserRows(table, pick);
  const found = await handle.withSql((engine) => engine.query<{ row: number; userId: string }>(userIdsOfRowsSql(table, rows)));
  const idOf = new Map(found.map((r) => [r.row, r.userId]));
  const users = rows.flatMap((row) => {
    const userId = idOf.get(row);
    return userId === undefined ? [] : [{ row, userId }];
  });
  return { key, users };
}

export async function computeLanes(stats: StatsEngine, handle: DatasetHandle, s: AppState): Promise<LanesView> {
  const key = lanesViewKey(s);
  const { result, laneUsers } = s;
  if (!result || !laneUsers) return { key, lanes: [], maxBars: MAX_BARS_PER_LANE };
  await ensureSplitColumn(stats, handle, result.rules, result.eventsTable);
  const cut = { thresholdUs: minutesToUs(result.gapMinutes), rules: result.rules };
  const sessions = await stats.laneSessions(
    result.eventsTable,
    laneUsers.users.map((u) => u.row),
    cut,
    MAX_BARS_PER_LANE,
  );
  const idOf = new Map(laneUsers.users.map((u) => [u.row, u.userId]));
  const lanes: Lane[] = sessions.map((l) => ({ ...l, userId: idOf.get(l.row) ?? '' }));
  return { key, lanes, maxBars: MAX_BARS_PER_LANE };
}
