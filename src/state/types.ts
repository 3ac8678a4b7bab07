import type { SessionRules } from '../domain/rules';
import type { PresetId } from '../domain/presets';
import type { ThresholdSuggestion } from '../domain/suggest-threshold';
import type { TimeRange } from '../domain/timeline-range';
import type { SessionViews } from '../stats/session-figures';
import type { SessionSummary } from '../stats/session-stats';
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

export interface SessionResult {
  gapMinutes: number;
  rules: SessionRules;
  /** Session durations, events per session, entry and exit pages at this threshold. */
  views: SessionViews;
  /** Sessions and mean duration across the slider's range (gap rule and boundary only). */
  curve: { boundary: SessionRules['boundary']; points: ThresholdCurveRow[] };
  eventsTable: string;
  stats: SessionStats;
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
  /** The zone presets split at midnight in, and the column they watch for campaign changes. */
  presetZone: string;
  presetCampaignColumn: string | null;
  /** Every preset's figures for the dataset (their own thresholds, not the slider's). */
  comparison: PresetComparison | null;
  /** The user whose timeline is shown, the zoomed session and the events page. */
  timelineUser: { userId: string; selected: number | null; eventsOffset: number } | null;
  timeline: UserTimeline | null;
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
}

export interface LatenessState {
  arrivalOrder: boolean;
  allowedMinutes: number;
  data: { key: string; summary: LatenessSummary; histograms: Record<LatenessScope, LatenessHistogramRow[]> } | null;
  simulation: { key: string; value: WatermarkSimulation } | null;
}
