import type { SessionRules } from '../domain/rules';
import type { ExclusionSummary, UserFilters } from '../domain/user-filters';
import type { Breakdown } from '../domain/breakdown';
import type { PresetId } from '../domain/presets';
import type { ThresholdSuggestion } from '../domain/suggest-threshold';
import type { TimeRange } from '../domain/timeline-range';
import type { SessionViews } from '../stats/session-figures';
import type { SessionSummary } from '../stats/session-stats';
import type { SessionDiff } from '../stats/session-diff';
import type { LaneSessions } from '../stats/lanes';
import type { RoleCandidate, UncertainRole } from '../domain/role-candidates';
import type {
  ColumnMapping,
  ColumnProfile,
  EventMarkRow,
  GapHistogramRow,
  LatenessHistogramRow,
  LatenessScope,
  LatenessSummary,
  SessionChanges,
  ThresholdCurveRow,
  SessionStats,
  SkippedCount,
  UserEventRow,
  UserSessionRow,
  UserSummaryRow,
  WatermarkSimulation,
} from '../domain/types';
import type { EventsTable } from './build-events';
import type { RawTable } from './raw-table';

/*
 * The shapes the store holds and the page reads. Dataset and result are plain data; the
 * handle that owns a dataset's tables and worker memory is dataset-handle.ts.
 */

export type Status = 'empty' | 'loading' | 'ready' | 'error';

export interface Dataset {
  raw: RawTable;
  events: EventsTable;
  /** Mapping-independent notes (encoding, detection). */
  notes: string[];
  /** What the first rows of each column look like, for re-guessing a timestamp format. */
  profiles: ColumnProfile[];
  /** Threshold-independent views, computed once per events table. */
  explore?: DatasetExplore;
  /** The files whose rows make the raw table, in order (more than one after appends). */
  files: LoadedFile[];
  /** What the last append changed, until the next load, append or removal. */
  lastAppend: AppendSummary | null;
}

export interface LoadedFile {
  name: string;
  /** Rows of the raw table from this file: rowids firstRowid .. firstRowid + rows - 1. */
  firstRowid: number;
  rows: number;
  /** Data rows read, including lines set aside as malformed. */
  rowsRead: number;
  rejected: number;
  /** Rows left out as already loaded (append with de-duplication). */
  duplicatesDropped: number;
  /** Valid events from this file, counted in the events table over its row range. */
  events?: number;
  /**
   * This file's rows that made no event, by reason (its malformed lines and its raw rows,
   * counted over its row range); rowsRead = events + their sum, checked for each file.
   */
  skippedByReason?: SkippedCount[];
}

export interface AppendSummary {
  fileName: string;
  changes: SessionChanges;
  /** Rows of the appended file that were already in the dataset. */
  duplicates: number;
  /** Table of (user_id, session_number, change) for the sessions that changed. */
  changedTable: string;
  /** The first changed sessions, for the page to list. */
  examples: { user_id: string; session_number: number; change: string }[];
  /** The threshold and rules the changes were computed with. */
  gapMinutes: number;
}

export interface DatasetExplore {
  gapBins: GapHistogramRow[];
  suggestion: ThresholdSuggestion;
}

/** The events of the users a filter keeps (src/state/kept-events.ts). */
export interface KeptEvents {
  /** userFiltersKey of the filters. */
  key: string;
  /** The stats worker's key and DuckDB's view of the kept events. */
  table: string;
  summary: ExclusionSummary;
  /** The gap histogram and its suggestion for the kept events. */
  explore: DatasetExplore;
}

export interface SessionResult {
  gapMinutes: number;
  rules: SessionRules;
  /** Session durations, events per session, entry and exit pages at this threshold. */
  views: SessionViews;
  /** Sessions and mean duration across the slider's range (gap rule and boundary only). */
  curve: { boundary: SessionRules['boundary']; points: ThresholdCurveRow[] };
  /** The table (and stats key) the figures read: the dataset's events, or the kept events of a user filter. */
  eventsTable: string;
  stats: SessionStats;
  /** Sessions by the gap rule (and boundary) alone at this threshold: stats.sessions when no further rule is on. */
  gapOnlySessions: number;
  /** The user filter the result is for (null or absent: everyone is kept). */
  exclusion?: { datasetTable: string; filters: UserFilters; kept: KeptEvents } | null;
}

/** One user's sessions at the result on screen, for the timeline. */
export interface UserTimeline {
  /** Which result, user, zoom and page it was computed for. */
  key: string;
  userId: string;
  /** null: no such user among the events. */
  summary: UserSummaryRow | null;
  sessions: UserSessionRow[];
  marks: EventMarkRow[];
  range: TimeRange | null;
  selected: number | null;
  events: UserEventRow[];
  eventsOffset: number;
  /** Every file column of those events, in the file's column order, aligned with `events`. */
  cells: { columns: string[]; values: (string | null)[][] };
}

export interface PresetComparisonRow {
  preset: PresetId;
  label: string;
  gapMinutes: number;
  stats: SessionSummary;
}

export interface PresetComparison {
  /** Which dataset, zone and campaign column it was computed for. */
  key: string;
  rows: PresetComparisonRow[];
}

/** A preset whose settings the result can be compared with. */
export type ComparablePreset = Exclude<PresetId, 'custom'>;

/** The result on screen (cut A) against a second threshold or a preset's settings (cut B). */
export interface SessionDiffView {
  /** Which dataset, settings and comparison it was computed for. */
  key: string;
  against: { kind: 'gap'; gapMinutes: number } | { kind: 'preset'; preset: ComparablePreset; label: string; gapMinutes: number };
  diff: SessionDiff;
  /**
   * Sessions at the lower of the two thresholds that are not sessions at the higher one
   * (equal thresholds: of the cut with more sessions): see README, "Comparing two thresholds".
   */
  merged: number;
}

/** Which users get a lane: the most active, a seeded sample, or those whose id starts with a prefix. */
export interface LanesSettings {
  mode: 'top' | 'sample' | 'prefix';
  count: number;
  seed: number;
  prefix: string;
}

/** The users the lane settings pick for a dataset (threshold-independent), in lane order. */
export interface LaneUsers {
  key: string;
  users: { row: number; userId: string }[];
}

export interface Lane extends LaneSessions {
  userId: string;
}

/** The lanes' sessions at the result on screen. */
export interface LanesView {
  key: string;
  lanes: Lane[];
  /** Sessions drawn per lane at most (each lane's count is exact). */
  maxBars: number;
}

export interface Preview {
  fileName: string;
  header: string[];
  rows: string[][];
}

/**
 * A file whose user or timestamp column neither names nor values decide: the page asks,
 * showing each uncertain role's candidates with a few of their values, and loads the file
 * once every uncertain role is chosen (the dataset shown before stays meanwhile).
 */
export interface MappingQuestion {
  fileName: string;
  /** Every column of the file, as the selects offer them. */
  columns: string[];
  /** The roles the page is sure of; each uncertain role's field is ''. */
  mapping: ColumnMapping;
  roles: (Omit<UncertainRole, 'candidates'> & { candidates: (RoleCandidate & { samples: string[] })[] })[];
}

export interface AppState {
  status: Status;
  /** What is being done while status is 'loading'. */
  activity: string | null;
  dataset: Dataset | null;
  result: SessionResult | null;
  /** The threshold the controls show; the result catches up with it. */
  gapMinutes: number;
  /** Further session rules and the boundary convention (src/domain/rules.ts). */
  rules: SessionRules;
  /**
   * The preset chosen, or 'custom': state, not derived from the settings (two products may
   * share settings); changing the threshold or a rule by hand makes it 'custom'.
   */
  preset: PresetId;
  /** The users left out of every figure, chart, list and export (bots, test accounts). */
  userFilters: UserFilters;
  /** The column the figures are broken down by (null: none), and that breakdown at the result on screen. */
  breakdownColumn: string | null;
  breakdown: Breakdown | null;
  /** The zone presets split at midnight in, and the column they watch for campaign changes. */
  presetZone: string;
  presetCampaignColumn: string | null;
  /** Every preset's figures for the dataset (their own thresholds, not the slider's). */
  comparison: PresetComparison | null;
  /** A second threshold to compare the result with (minutes), or null. */
  compareGapMinutes: number | null;
  /** A preset whose settings to compare the result with, or null (a compared threshold wins). */
  comparePreset: ComparablePreset | null;
  /** The comparison for the settings on screen, when one is asked for. */
  sessionDiff: SessionDiffView | null;
  /** Which users the lanes show (null: no lanes). */
  lanes: LanesSettings | null;
  laneUsers: LaneUsers | null;
  lanesView: LanesView | null;
  /** The user whose timeline is shown, the zoomed session and the events page. */
  timelineUser: { userId: string; selected: number | null; eventsOffset: number } | null;
  timeline: UserTimeline | null;
  /** A second user shown beside the first (null: none). */
  compareUser: { userId: string; selected: number | null; eventsOffset: number } | null;
  compareTimeline: UserTimeline | null;
  /** Lateness against arrival order (the file's row order), when the person says it is. */
  lateness: LatenessState;
  error: string | null;
  /** The question about a loaded file's columns, while the page asks it (else null). */
  question: MappingQuestion | null;
  /** First rows of a file being loaded, shown before DuckDB has read it all. */
  preview: Preview | null;
  /**
   * What DuckDB still prepares for the dataset on screen (its figures come from the quick
   * read; exports, timelines and the lateness analysis wait for this), or null.
   */
  background: string | null;
  /**
   * Why the dataset on screen has no DuckDB tables (DuckDB could not read the file the
   * stats worker read), or null. Its figures stay; only the panels that need SQL say this.
   */
  sqlProblem: string | null;
  /** The zone times are shown in (`UTC` or an IANA zone); data attributes stay UTC. */
  displayTimeZone: string;
}

export interface LatenessState {
  arrivalOrder: boolean;
  allowedMinutes: number;
  data: { key: string; summary: LatenessSummary; histograms: Record<LatenessScope, LatenessHistogramRow[]> } | null;
  simulation: { key: string; value: WatermarkSimulation } | null;
}
