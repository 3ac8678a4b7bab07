import { engineWhenStarted } from '../engine/engine';
import type { ColumnMapping } from '../domain/types';
import { DEFAULT_GAP_MINUTES } from '../domain/threshold';
import { rulesKey, type SessionRules } from '../domain/rules';
import { PRESETS, presetRules, type PresetId } from '../domain/presets';
import type { UserFilters } from '../domain/user-filters';
import { dropTableSql } from '../sql/read-sql';
import { createLocalStatsEngine } from '../stats/stats-engine';
import { answerJob, appendJob, loadJob, mappingJob, removeFileJob, type Settings, type Shown } from './dataset-jobs';
import type { ChosenColumns } from '../domain/detect-columns';
import type { FileSource } from './raw-table';
import { DatasetQueries } from './dataset-queries';
import type { StoreDeps } from './store-deps';
import { LoadError } from './load-errors';
import { previewLater } from './preview-later';
import type { JobContext } from './load-pipeline';
import { runEffect, type EffectRunner, type JobWork } from './store-effects';
import { initialModel, transition, type StoreEvent, type StoreModel } from './store-machine';
import { TableLedger } from './table-ledger';
import { markThresholdChanged } from './threshold-timing';
import type { AppState, ComparablePreset, LanesSettings } from './types';

export type * from './types';
export { sessionListAnswerKey, sessionsOverTimeKey, type Answer } from './session-list';

/*
 * The app's state, and the only code the page calls to change it. Every change is an event
 * for the state machine (store-machine.ts: pure); the effects it asks for (jobs, disposal,
 * computing views) run in store-effects.ts and report back as events. Queries the page asks
 * for directly (session list pages, exports, user lookups) are `queries` (dataset-queries.ts):
 * they read the model and change nothing.
 */

let nextJobId = 1;

export class AppStore {
  private model: StoreModel;
  private readonly listeners = new Set<() => void>();
  private readonly runner: EffectRunner;
  /** The page's direct queries about the dataset on screen (session list, lookups, exports). */
  readonly queries: DatasetQueries;

  constructor(
    private readonly deps: StoreDeps,
    initialGapMinutes = DEFAULT_GAP_MINUTES,
  ) {
    const stats = deps.stats ?? createLocalStatsEngine();
    // A load starts before DuckDB has (engineWhenStarted): a quick read needs none of it.
    const engine = engineWhenStarted(deps.engine);
    this.model = initialModel(initialGapMinutes);
    // One ledger for DuckDB's tables and the stats worker's columns (held under the same names).
    const ledger = new TableLedger(async (names) => {
      for (const name of names) await stats.release(name);
      await engine.exec(names.map(dropTableSql).join(';\n'));
    });
    this.runner = {
      stats,
      ledger,
      jobs: new Map(),
      dispatch: (event) => this.dispatch(event),
      getModel: () => this.model,
      context: async (signal, jobId) => ({
        engine,
        stats,
        quickHelper: deps.quickHelper,
        ingestRows: deps.ingestRows,
        readRawWhileSorting: deps.readRawWhileSorting ?? false,
        ledger,
        signal,
        created: [],
        progress: (activity) => this.dispatch({ type: 'job-activity', jobId, activity }),
      }),
      computing: false,
      wake: null,
      sqlAfterPaint: deps.sqlAfterPaint ?? false,
      disposals: new Set(),
    };
    this.queries = new DatasetQueries({
      model: () => this.model,
      disposals: () => this.runner.disposals,
      engine: deps.engine,
      stats,
      writeParquet: deps.writeParquet,
      keepOrderedEventsMaxRows: deps.keepOrderedEventsMaxRows,
      report: (message) => this.reportError(message),
    });
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): AppState => this.model;

  private dispatch(event: StoreEvent): void {
    const { model, effects } = transition(this.model, event);
    if (model !== this.model) {
      this.model = model;
      for (const listener of this.listeners) listener();
    }
    for (const effect of effects) runEffect(this.runner, effect);
  }

  private settings: Settings = () => this.model;

  /** Starts a dataset job; resolves when it has ended, whatever its outcome. */
  private startJob(fileName: string, activity: string, work: JobWork, answering = false): Promise<void> {
    const id = nextJobId++;
    const ended = new Promise<void>((resolve) => {
      this.runner.jobs.set(id, { fileName, work, controller: new AbortController(), ended: resolve });
    });
    this.dispatch({ type: 'job-started', job: { id, fileName, ...(answering ? { answering } : {}) }, activity });
    return ended;
  }

  /** The shown dataset and its handle, for a job about it (null when none is shown). */
  private shown(): Shown | null {
    const { dataset, handle } = this.model;
    return dataset && handle ? { dataset, handle } : null;
  }

  /** Loads a file, replacing the dataset only if every step succeeds. */
  loadFile(source: FileSource): Promise<void> {
    return this.loadFrom(source.name, async () => source);
  }

  /**
   * Loads a file that must be fetched first (the bundled sample). The load takes its place
   * in the order of actions when it is asked for, not when the bytes arrive, so a file
   * chosen meanwhile still wins.
   */
  loadUrl(name: string, url: string): Promise<void> {
    return this.loadFrom(name, async () => {
      try {
        const response = await fetch(url);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const bytes = new Uint8Array(await response.arrayBuffer());
        return { name, size: bytes.length, data: bytes };
      } catch (error) {
        throw new LoadError(name, `could not be fetched from ${url}: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  }

  private loadFrom(name: string, obtain: () => Promise<FileSource>): Promise<void> {
    return this.startJob(name, `Reading ${name}…`, async (ctx: JobContext, jobId) => {
      const source = await obtain();
      ctx.signal.throwIfAborted();
      const current = () => this.model.job?.id === jobId;
      if (this.deps.previewOf) previewLater(this.deps.previewOf, source, current, (preview) => this.dispatch({ type: 'job-preview', jobId, preview }));
      return loadJob(ctx, source, this.settings);
    });
  }

  /** Loads the file the page asks about with the columns chosen for its uncertain roles. */
  answerQuestion(chosen: ChosenColumns): Promise<void> {
    const { pending } = this.model;
    if (!pending) return Promise.resolve();
    const name = pending.raw.fileName;
    return this.startJob(name, `Reading ${name} with the columns you chose…`, (ctx) => answerJob(ctx, pending, chosen, this.settings), true);
  }

  /** Drops the file the page asks about; the dataset shown before stays. */
  cancelQuestion(): void {
    this.dispatch({ type: 'question-cancelled' });
  }

  /** Re-sessionizes the shown file with another column mapping (see mappingJob). */
  setMapping(mapping: ColumnMapping, guessFormat = false): Promise<void> {
    const asked = this.shown();
    if (!asked) return Promise.resolve();
    return this.startJob(asked.dataset.raw.fileName, 'Applying the column mapping…', (ctx) => mappingJob(ctx, asked, mapping, guessFormat, this.settings));
  }

  /** Adds a late file's rows to the shown dataset (see appendJob). */
  appendFile(source: FileSource, dedupe = false): Promise<void> {
    const asked = this.shown();
    if (!asked) {
      this.reportError(`${source.name}: load a file first; a late file is added to a loaded one.`);
      return Promise.resolve();
    }
    return this.startJob(source.name, `Adding ${source.name}…`, (ctx) => appendJob(ctx, asked, source, dedupe, this.settings));
  }

  /** Removes one of several loaded files (by its index in dataset.files). */
  removeFile(index: number): Promise<void> {
    const asked = this.shown();
    const name = asked?.dataset.files[index]?.name;
    if (!asked || name === undefined) return Promise.resolve();
    return this.startJob(name, 'Removing a file…', (ctx) => removeFileJob(ctx, asked, index, this.settings));
  }

  /** Sets the threshold by hand: a chosen preset becomes 'custom'. */
  /** The dataset on screen has been painted: DuckDB may now take its events over (see sqlAfterPaint). */
  datasetPainted(): void {
    this.model.handle?.showSql();
  }

  setGapMinutes(minutes: number): void {
    if (minutes === this.model.gapMinutes) return;
    markThresholdChanged();
    this.dispatch({ type: 'settings-changed', patch: { gapMinutes: minutes, preset: 'custom' }, clearError: true });
  }

  setBoundary(boundary: SessionRules['boundary']): void {
    this.setRules({ ...this.model.rules, boundary });
  }

  /** Sets the rules by hand (and the threshold with them): a chosen preset becomes 'custom'. */
  setRules(rules: SessionRules, gapMinutes = this.model.gapMinutes): void {
    if (rulesKey(rules) === rulesKey(this.model.rules) && gapMinutes === this.model.gapMinutes) return;
    markThresholdChanged();
    this.dispatch({ type: 'settings-changed', patch: { rules, gapMinutes, preset: 'custom' }, clearError: true });
  }

  /**
   * Chooses a preset: its threshold and rules (midnight in the preset zone, campaign changes
   * in the preset column), and it stays the preset shown until a setting is changed by hand.
   * 'custom' keeps the settings as they are.
   */
  choosePreset(id: PresetId): void {
    const preset = PRESETS.find((p) => p.id === id);
    if (!preset) {
      this.dispatch({ type: 'settings-changed', patch: { preset: 'custom' }, clearError: false });
      return;
    }
    const rules = presetRules(preset, this.model.presetZone, this.model.presetCampaignColumn);
    const same = rulesKey(rules) === rulesKey(this.model.rules) && preset.gapMinutes === this.model.gapMinutes;
    if (!same) markThresholdChanged();
    this.dispatch({ type: 'settings-changed', patch: { preset: id, rules: same ? this.model.rules : rules, gapMinutes: preset.gapMinutes }, clearError: true });
  }

  /** Leaves users out of every figure, chart, list and export (bots, test accounts); NO_USER_FILTERS keeps everyone. */
  setUserFilters(userFilters: UserFilters): void {
    if (JSON.stringify(userFilters) === JSON.stringify(this.model.userFilters)) return;
    this.dispatch({ type: 'settings-changed', patch: { userFilters }, clearError: true });
  }

  /** Breaks the figures down by a column's values (null: no breakdown). */
  setBreakdownColumn(column: string | null): void {
    if (column === this.model.breakdownColumn) return;
    this.dispatch({ type: 'settings-changed', patch: { breakdownColumn: column, ...(column === null ? { breakdown: null } : {}) }, clearError: false });
  }

  /** Compares the result with a second threshold (null: off); replaces a compared preset. */
  setCompareGapMinutes(compareGapMinutes: number | null): void {
    this.dispatch({ type: 'settings-changed', patch: { compareGapMinutes, comparePreset: null, sessionDiff: null }, clearError: true });
  }

  /** Compares the result with a preset's threshold and rules (null: off); replaces a compared threshold. */
  setComparePreset(comparePreset: ComparablePreset | null): void {
    this.dispatch({ type: 'settings-changed', patch: { comparePreset, compareGapMinutes: null, sessionDiff: null }, clearError: true });
  }

  /** Which users the lanes show (null hides them). */
  setLanes(lanes: LanesSettings | null): void {
    this.dispatch({ type: 'settings-changed', patch: { lanes }, clearError: false });
  }

  /** Shows a user's sessions (null hides the timeline); `selected` zooms to one session. */
  selectUser(userId: string | null, selected: number | null = null, eventsOffset = 0): void {
    const timelineUser = userId === null ? null : { userId, selected, eventsOffset };
    this.dispatch({ type: 'settings-changed', patch: { timelineUser, ...(userId === null ? { timeline: null } : {}) }, clearError: false });
  }

  /** The zone the page shows times in (`UTC` or an IANA zone). */
  setDisplayTimeZone(displayTimeZone: string): void {
    this.dispatch({ type: 'settings-changed', patch: { displayTimeZone }, clearError: false });
  }

  /** Says whether the file's row order is its arrival order (the lateness analysis needs it). */
  setLatenessArrivalOrder(arrivalOrder: boolean): void {
    this.dispatch({ type: 'settings-changed', patch: { lateness: { ...this.model.lateness, arrivalOrder } }, clearError: false });
  }

  /** The allowed lateness of the watermark simulation, in minutes (0 or more). */
  setAllowedLateness(allowedMinutes: number): void {
    this.dispatch({ type: 'settings-changed', patch: { lateness: { ...this.model.lateness, allowedMinutes } }, clearError: false });
  }

  /** The zone and campaign column the presets use; the comparison and a chosen preset's rules follow. */
  setPresetContext(presetZone: string, presetCampaignColumn: string | null): void {
    const preset = PRESETS.find((p) => p.id === this.model.preset);
    const rules = preset ? presetRules(preset, presetZone, presetCampaignColumn) : this.model.rules;
    const patch = rulesKey(rules) === rulesKey(this.model.rules) ? { presetZone, presetCampaignColumn } : { presetZone, presetCampaignColumn, rules };
    this.dispatch({ type: 'settings-changed', patch, clearError: false });
  }

  /** Shows a second user's sessions beside the first (null hides them). */
  compareWithUser(userId: string | null, selected: number | null = null, eventsOffset = 0): void {
    const compareUser = userId === null ? null : { userId, selected, eventsOffset };
    this.dispatch({ type: 'settings-changed', patch: { compareUser, ...(userId === null ? { compareTimeline: null } : {}) }, clearError: false });
  }

  /** Reports a problem that happened outside the store (e.g. an invalid typed threshold). */
  reportError(message: string): void {
    this.dispatch({ type: 'error-reported', message });
  }
}
