/** How the text of the timestamp column is read. See README "Timestamps". */
export type TimestampFormat =
  | 'iso' // ISO 8601 / SQL-style text, with or without offset; no offset = UTC
  | 'dmy' // 31/12/2024 [23:59[:59[.ffffff]]], also with '.' or '-'
  | 'mdy' // 12/31/2024 [...]
  | 'clf' // web-server log: 10/Oct/2000:13:55:36 -0700
  | 'epoch-s'
  | 'epoch-ms'
  | 'epoch-us';

export const TIMESTAMP_FORMATS: readonly TimestampFormat[] = [
  'iso', 'dmy', 'mdy', 'clf', 'epoch-s', 'epoch-ms', 'epoch-us',
];

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
export interface UserSummaryRow { events: number; sessions: number; firstUs: number; lastUs: number }

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
