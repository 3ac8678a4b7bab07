/** How the text of the timestamp column is read. See README "Timestamps". */
export type TimestampFormat =
  | 'iso' // ISO 8601 / SQL-style text, with or without offset; no offset = UTC
  | 'dmy' // 31/12/2024 [23:59[:59[.ffffff]]], also with '.' or '-'
  | 'mdy' // 12/31/2024 [...]
  | 'clf' // web-server log: 10/Oct/2000:13:55:36 -0700
  | 'epoch-s'
  | 'epoch-ms'
  | 'epoch-us';

export const TIMESTAMP_FORMATS: readonly TimestampFormat[] = ['iso', 'dmy', 'mdy', 'clf', 'epoch-s', 'epoch-ms', 'epoch-us'];

export const TIMESTAMP_FORMAT_LABELS: Record<TimestampFormat, string> = {
  iso: 'ISO 8601 / SQL text (no zone = UTC)',
  dmy: 'day/month/year',
  mdy: 'month/day/year',
  clf: 'web log (10/Oct/2000:13:55:36 -0700)',
  'epoch-s': 'epoch seconds',
  'epoch-ms': 'epoch milliseconds',
  'epoch-us': 'epoch microseconds',
};

/** Which columns of the loaded file play which role. '' means "none". */
export interface ColumnMapping {
  user: string;
  timestamp: string;
  /** A separate time-of-day column combined with the date in `timestamp`, or ''. */
  time: string;
  url: string;
  format: TimestampFormat;
}

/** `ge`: a gap equal to the threshold starts a new session (the rule); `gt`: only a longer one. */
export type Boundary = 'ge' | 'gt';

export interface SessionStats {
  sessions: number;
  sessionsPerUser: number;
  medianDurationSeconds: number;
  meanDurationSeconds: number;
  medianEventsPerSession: number;
  singleEventShare: number;
}

export interface DatasetFigures {
  rowsRead: number;
  events: number;
  users: number;
  skipped: number;
  firstEventUs: number | null;
  lastEventUs: number | null;
}

export type SkipReason = 'missing user id' | 'missing timestamp' | 'unreadable timestamp';

export const SKIP_REASONS: readonly SkipReason[] = ['missing user id', 'missing timestamp', 'unreadable timestamp'];

/** Skipped rows of one reason: a row that had no event, or a line the reader set aside as malformed. */
export interface SkippedCount {
  reason: SkipReason | 'malformed line';
  count: number;
}

export interface SkippedRow {
  /** 1-based position among the file's data rows (the header is not counted). */
  row: number;
  /** The file line it starts on (1 = the first), when that is certain. */
  line?: number;
  reason: SkipReason;
  user: string | null;
  timestamp: string | null;
}

/** One user's figures at a threshold: the timeline's header. */
export interface UserSummaryRow {
  events: number;
  sessions: number;
  firstUs: number;
  lastUs: number;
}

/** One session of one user, as the timeline draws it. */
export interface UserSessionRow {
  sessionNumber: number;
  startUs: number;
  endUs: number;
  eventCount: number;
  firstUrl: string | null;
  lastUrl: string | null;
  /** The gap from the previous session's last event; null for the first session. */
  gapBeforeUs: number | null;
}

/* Rows of the exploration charts (explore-sql.ts, and the stats worker computing the same). */

export interface GapHistogramRow {
  bin: number;
  lowUs: number;
  /** null for the last, open bin. */
  highUs: number | null;
  lowSeconds: number;
  highSeconds: number | null;
  count: number;
}

export interface ThresholdCurveRow {
  thresholdUs: number;
  thresholdMinutes: number;
  sessions: number;
  meanDurationSeconds: number;
}

export interface SessionDistributionRow {
  kind: 'duration' | 'events';
  bin: number;
  /** Seconds for 'duration', events for 'events'; inclusive. */
  low: number;
  /** Exclusive seconds for 'duration', inclusive events for 'events'; null when open. */
  high: number | null;
  count: number;
}

export interface TopPageRow {
  kind: 'entry' | 'exit';
  /** null: sessions whose first (or last) event has no url. */
  url: string | null;
  sessions: number;
}

/** A row of sessionViewsSql: a distribution bin (url null) or an entry/exit page (bin −1). */
export interface SessionViewRow {
  kind: 'duration' | 'events' | 'entry' | 'exit';
  bin: number;
  low: number | null;
  high: number | null;
  url: string | null;
  count: number;
}

/* Rows of the per-user timeline queries (user-sql.ts). */

export interface UserSuggestionRow {
  userId: string;
  events: number;
}
export interface TopUserRow {
  userId: string;
  events: number;
  sessions: number;
}

export interface UserEventRow {
  rowNumber: number;
  tsUs: number;
  url: string | null;
  gapUs: number | null;
  sessionNumber: number;
}

/** Events of one user aggregated into `columns` equal time slices (one mark per pixel column). */
export interface EventMarkRow {
  column: number;
  firstUs: number;
  lastUs: number;
  events: number;
  firstUrl: string | null;
}

/* Late and out-of-order events (lateness-sql.ts). */

export type LatenessScope = 'overall' | 'user';

/** latenessSummarySql's row. Microseconds as DOUBLE; shares from 0 to 1. */
export interface LatenessSummary {
  events: number;
  /** Events with overall lateness > 0, and their share of the events. */
  outOfOrderEvents: number;
  outOfOrderShare: number;
  /** Events with per-user lateness > 0, and their share of the events. */
  userOutOfOrderEvents: number;
  userOutOfOrderShare: number;
  maxLatenessUs: number;
  userMaxLatenessUs: number;
  /** The smallest global watermark delay keeping 99%, 99.9% and 100% of events on time. */
  delay99Us: number;
  delay999Us: number;
  delay100Us: number;
  /** The same for a watermark per user (each user's own latest time seen). */
  userDelay99Us: number;
  userDelay999Us: number;
  userDelay100Us: number;
}

/** The shares of events kept on time that the summary gives a watermark delay for. */
export const LATENESS_KEEP_SHARES = [0.99, 0.999, 1] as const;
export type LatenessKeepShare = (typeof LATENESS_KEEP_SHARES)[number];

/** One scope of a summary: out-of-order share, maximum, and the delay for each kept share. */
export interface LatenessScopeFigures {
  outOfOrderEvents: number;
  outOfOrderShare: number;
  maxLatenessUs: number;
  delays: { keep: LatenessKeepShare; delayUs: number }[];
}

/** latenessHistogramSql's rows: the on-time row (bin ON_TIME_BIN) first, then every gap bin. */
export type LatenessHistogramRow = GapHistogramRow;

/** watermarkSimulationSql's row (counts as DOUBLE). */
export interface WatermarkSimulation {
  events: number;
  /** Events below the watermark when they arrived. */
  dropped: number;
  /** Kept events that arrived after a kept event of the same user with a later timestamp. */
  reopened: number;
  /** Sessions of the batch result (every event, sorted, sessionized). */
  batchSessions: number;
  /** Sessions of the kept events, sessionized with the same rule. */
  streamSessions: number;
  /** Batch sessions whose set of events is not exactly the set of one streaming session. */
  sessionsDiffering: number;
}

/** What the first rows of a column look like (columnProfileSql, or the quick read's own profile). */
export interface ColumnProfile {
  column: string;
  nonEmpty: number;
  distinct: number;
  numeric: number;
  /** Median of the numeric values, for telling epoch seconds from milliseconds. */
  numericMedian: number | null;
  /** Numbers written with a decimal point (amounts, measures: not ids). */
  decimal: number;
  iso: number;
  /** ISO values whose instant is exactly midnight UTC (a date without time). */
  isoMidnight: number;
  dmy: number;
  mdy: number;
  clf: number;
  timeOfDay: number;
  /** Values with a clock time in them (a digit, ':' and two digits). */
  withClock: number;
  urlLike: number;
  /** Rows in the sample the profile describes (nonEmpty / sampleRows is how full the column is). */
  sampleRows: number;
  /** The column's first distinct non-empty values (at most a few, each cut short), as evidence for the mapping. */
  samples: string[];
}

/** How the sessions changed when a file was appended (sessionChangesSql). */
export interface SessionChanges {
  merged: number;
  extended: number;
  split: number;
  created: number;
  /** Users with at least one appended event. */
  touchedUsers: number;
}

/* The events table as typed arrays, in its order (each user's events together, in time order). */

export interface GapColumns {
  /** Microseconds since the user's previous event; -1 marks a user's first event. */
  gaps: Float64Array;
  /** The event's instant in microseconds (exact: below 2^53). */
  times: Float64Array;
  users: number;
}

export interface EventColumns extends GapColumns {
  /** The file's data row of each event, to join session numbers back in SQL. */
  rows: Float64Array;
}

export interface UrlColumn {
  /** Dictionary code of each event's url in the events table's order; -1 = no url. */
  codes: Int32Array;
  labels: string[];
}
