import { PRESETS, presetRules } from '../domain/presets';
import { NO_RULES, rulesKey, type SessionRules } from '../domain/rules';
import { NO_USER_FILTERS, type UserFilters } from '../domain/user-filters';
import type { DatasetHandle } from './dataset-handle';
import type { ColumnProfile } from '../domain/types';
import type { PendingMapping } from './pending-mapping';
import type { AppState, Dataset, LanesSettings, Preview, SessionResult, Status } from './types';
import { viewsStale } from './views';

/*
 * The store as a state machine: `transition(model, event)` is pure and returns the next
 * model and the effects to run (store-effects.ts runs them and feeds their outcomes back as
 * events). The rules it keeps:
 * - one dataset job (load, mapping change, append, removal) at a time: a new one aborts
 *   the one under way (latest wins), and a job's outcome counts only while it is current;
 * - the dataset shown is always one that finished loading (or none): it is replaced only by
 *   a finished job's, and then disposed; a failed job leaves it, with the error;
 * - a view (figures, comparison, timeline, lateness) computed for a dataset no longer shown
 *   is dropped, and a dataset that lost its race is disposed, never shown.
 */

/** The store's whole state: what the page reads, plus the handle and the job under way. */
export interface StoreModel extends AppState {
  /** Owns the shown dataset's tables and worker columns; set with `dataset`. */
  handle: DatasetHandle | null;
  /** `answering`: the job loads the file asked about, with the columns chosen. */
  job: { id: number; fileName: string; answering?: boolean } | null;
  /** The file asked about (its raw table kept for the answer); set with `question`. */
  pending: PendingMapping | null;
}

/** A finished job's dataset, with its first figures, ready to replace the one shown. */
export interface ShownDataset {
  dataset: Dataset;
  handle: DatasetHandle;
  result: SessionResult;
  presetCampaignColumn: string | null;
  /** The rules changed by the load (a split rule on a column this file lacks is switched off), or null. */
  rules: SessionRules | null;
  /** The file has no column of the breakdown's name: the breakdown is switched off. */
  breakdownColumnGone?: boolean;
  /** The user filter changed by the load (a column match on a column this file lacks is switched off), or null. */
  userFilters?: UserFilters | null;
  /** The same file as before (a mapping change, an append or a removal): the timeline stays. */
  sameFile: boolean;
  /** DuckDB has yet to make its tables (a quick-read file): exports and timelines wait. */
  tablesPending: boolean;
}

export type ViewPatch = Partial<
  Pick<AppState, 'result' | 'comparison' | 'timeline' | 'lateness' | 'breakdown' | 'sessionDiff' | 'laneUsers' | 'lanesView' | 'compareTimeline'>
>;

export type StoreEvent =
  | { type: 'job-started'; job: { id: number; fileName: string; answering?: boolean }; activity: string }
  | { type: 'job-activity'; jobId: number; activity: string }
  | { type: 'job-preview'; jobId: number; preview: Preview | null }
  | { type: 'job-finished'; jobId: number; shown: ShownDataset }
  | { type: 'job-failed'; jobId: number; message: string }
  /** The job's file needs its columns chosen: the page asks, the dataset shown stays. */
  | { type: 'job-asked'; jobId: number; pending: PendingMapping }
  | { type: 'question-cancelled' }
  /** The job ended without a dataset (aborted, or nothing left to do). */
  | { type: 'job-dropped'; jobId: number }
  | { type: 'settings-changed'; patch: Partial<AppState>; clearError: boolean }
  | { type: 'view-computed'; handle: DatasetHandle; patch: ViewPatch }
  | { type: 'view-failed'; handle: DatasetHandle; message: string }
  | { type: 'tables-settled'; handle: DatasetHandle; problem: string | null }
  /** DuckDB's column profiles, for a dataset shown from the quick read (which has none until they come). */
  | { type: 'profiles-made'; handle: DatasetHandle; profiles: ColumnProfile[] }
  | { type: 'error-reported'; message: string };

export type Effect =
  | { type: 'run-job'; jobId: number }
  | { type: 'abort-job'; jobId: number }
  | { type: 'dispose'; handle: DatasetHandle }
  | { type: 'dispose-pending'; pending: PendingMapping }
  /** Start DuckDB's side of a shown dataset and report when it settles. */
  | { type: 'watch-tables'; handle: DatasetHandle }
  /** Bring the views up to date with the model (one computation at a time). */
  | { type: 'compute' };

export interface Transition {
  model: StoreModel;
  effects: Effect[];
}

/** The lanes at first: the 20 most active users. */
export const DEFAULT_LANES: LanesSettings = { mode: 'top', count: 20, seed: 1, prefix: '' };

/** Nothing loaded, every setting at its default, the threshold as given. */
export function initialModel(gapMinutes: number): StoreModel {
  return {
    status: 'empty',
    activity: null,
    dataset: null,
    result: null,
    handle: null,
    job: null,
    question: null,
    pending: null,
    gapMinutes,
    rules: NO_RULES,
    userFilters: NO_USER_FILTERS,
    breakdownColumn: null,
    breakdown: null,
    error: null,
    preview: null,
    background: null,
    sqlProblem: null,
    preset: 'custom',
    displayTimeZone: 'UTC',
    presetZone: 'UTC',
    presetCampaignColumn: null,
    comparison: null,
    compareGapMinutes: null,
    comparePreset: null,
    sessionDiff: null,
    lanes: DEFAULT_LANES,
    laneUsers: null,
    lanesView: null,
    timelineUser: null,
    timeline: null,
    compareUser: null,
    compareTimeline: null,
    lateness: { arrivalOrder: false, allowedMinutes: 5, data: null, simulation: null },
  };
}

export const tablesPendingMessage = (fileName: string) => `DuckDB is still reading ${fileName} for exports, timelines and the lateness analysis…`;

export function statusOf(m: StoreModel): Status {
  if (m.job !== null) return 'loading';
  if (m.error !== null) return 'error';
  if (viewsStale(m)) return 'loading';
  return m.dataset ? 'ready' : 'empty';
}

function withStatus(model: StoreModel, effects: Effect[] = []): Transition {
  return { model: { ...model, status: statusOf(model) }, effects };
}

/** A chosen preset's rules follow the new file's campaign column; otherwise the rules as the job left them. */
function chosenRules(m: StoreModel, shown: ShownDataset): SessionRules {
  const left = shown.rules ?? m.rules;
  const preset = PRESETS.find((p) => p.id === m.preset);
  const wanted = preset ? presetRules(preset, m.presetZone, shown.presetCampaignColumn) : left;
  // The same object when nothing changes: the result's rules are compared by identity.
  return rulesKey(wanted) === rulesKey(left) ? left : wanted;
}

/** The dataset with the profiles DuckDB made, when it had none (a quick-read file). */
function withProfiles(dataset: Dataset | null, profiles: ColumnProfile[]): Dataset | null {
  return dataset && dataset.profiles.length === 0 ? { ...dataset, profiles } : dataset;
}

export function transition(m: StoreModel, event: StoreEvent): Transition {
  const current = (jobId: number) => m.job?.id === jobId;
  switch (event.type) {
    case 'job-started': {
      const effects: Effect[] = m.job ? [{ type: 'abort-job', jobId: m.job.id }] : [];
      effects.push({ type: 'run-job', jobId: event.job.id });
      // Any other job drops the file asked about; the answer keeps it until it is shown.
      if (m.pending && !event.job.answering) {
        effects.push({ type: 'dispose-pending', pending: m.pending });
        return withStatus({ ...m, job: event.job, activity: event.activity, error: null, question: null, pending: null }, effects);
      }
      return withStatus({ ...m, job: event.job, activity: event.activity, error: null }, effects);
    }
    case 'job-asked': {
      if (!current(event.jobId)) return { model: m, effects: [{ type: 'dispose-pending', pending: event.pending }] };
      const effects: Effect[] = m.pending && m.pending !== event.pending ? [{ type: 'dispose-pending', pending: m.pending }] : [];
      effects.push({ type: 'compute' });
      const asked = { job: null, activity: null, preview: null, error: null, question: event.pending.question, pending: event.pending };
      return withStatus({ ...m, ...asked }, effects);
    }
    case 'question-cancelled': {
      if (!m.pending) return { model: m, effects: [] };
      const effects: Effect[] = [{ type: 'dispose-pending', pending: m.pending }];
      const answering = m.job?.answering === true;
      if (answering && m.job) effects.push({ type: 'abort-job', jobId: m.job.id });
      const job = answering ? { job: null, activity: null } : {};
      return withStatus({ ...m, ...job, question: null, pending: null }, [...effects, { type: 'compute' }]);
    }
    case 'job-activity':
      return current(event.jobId) ? withStatus({ ...m, activity: event.activity }) : { model: m, effects: [] };
    case 'job-preview':
      return current(event.jobId) ? withStatus({ ...m, preview: event.preview }) : { model: m, effects: [] };
    case 'job-finished': {
      const { shown } = event;
      if (!current(event.jobId)) return { model: m, effects: [{ type: 'dispose', handle: shown.handle }] };
      const effects: Effect[] = m.handle && m.handle !== shown.handle ? [{ type: 'dispose', handle: m.handle }] : [];
      // The answer's dataset holds the raw table now: the question's hold on it goes.
      if (m.pending) effects.push({ type: 'dispose-pending', pending: m.pending });
      if (shown.tablesPending) effects.push({ type: 'watch-tables', handle: shown.handle });
      effects.push({ type: 'compute' });
      return withStatus(
        {
          ...m,
          job: null,
          activity: null,
          preview: null,
          error: null,
          dataset: shown.dataset,
          handle: shown.handle,
          result: shown.result,
          comparison: null,
          presetCampaignColumn: shown.presetCampaignColumn,
          rules: chosenRules(m, shown),
          userFilters: shown.userFilters ?? m.userFilters,
          background: shown.tablesPending ? tablesPendingMessage(shown.dataset.raw.fileName) : null,
          sqlProblem: null,
          question: null,
          pending: null,
          ...(shown.sameFile ? {} : { timelineUser: null, timeline: null, compareUser: null, compareTimeline: null }),
          ...(shown.breakdownColumnGone ? { breakdownColumn: null, breakdown: null } : {}),
        },
        effects,
      );
    }
    case 'job-failed':
      if (!current(event.jobId)) return { model: m, effects: [] };
      return withStatus({ ...m, job: null, activity: null, preview: null, error: event.message }, [{ type: 'compute' }]);
    case 'job-dropped':
      if (!current(event.jobId)) return { model: m, effects: [] };
      return withStatus({ ...m, job: null, activity: null, preview: null }, [{ type: 'compute' }]);
    case 'settings-changed':
      return withStatus({ ...m, ...event.patch, ...(event.clearError ? { error: null } : {}) }, [{ type: 'compute' }]);
    case 'view-computed':
      if (event.handle !== m.handle) return { model: m, effects: [] };
      return withStatus({ ...m, ...event.patch }, [{ type: 'compute' }]);
    case 'view-failed':
      if (event.handle !== m.handle) return { model: m, effects: [] };
      return withStatus({ ...m, error: event.message });
    case 'tables-settled':
      if (event.handle !== m.handle) return { model: m, effects: [] };
      return withStatus({ ...m, background: null, sqlProblem: event.problem }, [{ type: 'compute' }]);
    case 'profiles-made':
      if (event.handle !== m.handle) return { model: m, effects: [] };
      return withStatus({ ...m, dataset: withProfiles(m.dataset, event.profiles) });
    case 'error-reported':
      return withStatus({ ...m, error: event.message });
  }
}
