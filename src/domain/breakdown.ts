/** One value of the breakdown column and the figures of the events and sessions with it. */
export interface BreakdownRow {
  /** The cell's text; null for empty cells. */
  value: string | null;
  events: number;
  /** Users with at least one event with this value. */
  users: number;
  /** Sessions whose first event has this value. */
  sessionsStarted: number;
  /** Mean duration of those sessions. */
  meanDurationSeconds: number;
}

export interface Breakdown {
  /** The result and column it was computed for. */
  key: string;
  column: string;
  rows: BreakdownRow[];
  /** How many distinct values there are (rows holds the top ones by events). */
  values: number;
}

export const BREAKDOWN_ROWS = 12;
