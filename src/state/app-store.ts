import type { Engine } from '../engine/engine';
import type { RowIngest } from '../ingest/row-ingest';
import type { ColumnMapping, SessionStats } from '../domain/types';
import { DEFAULT_GAP_MINUTES } from '../domain/threshold';
import { minutesToUs } from '../sql/sessionize-sql';
import { gapColumnsSql, rawColumnSql, urlColumnSql } from '../stats/gap-columns-sql';
import type { SessionViews } from '../stats/session-figures';
import type { SessionSummary } from '../stats/session-stats';
import {
  topUsersSql, userEventMarksSql, userEventsSql, userSuggestionsSql, userSummarySql,
  userTimelineSql, type EventMarkRow, type GapHistogramRow, type ThresholdCurveRow, type TopUserRow, type UserEventRow,
  type UserSessionRow, type UserSuggestionRow, type UserSummaryRow,
} from '../sql/explore-sql';
import { TIMELINE_COLUMNS, TIMELINE_EVENTS_PAGE, timelineRange, type TimeRange } from '../domain/timeline-range';
import type { SessionizeSpec } from '../sql/sessionize-sql';
import type { SessionChanges } from '../sql/append-sql';
import {
  latenessHistogramSql, latenessSummarySql, watermarkSimulationSql, type LatenessHistogramRow, type LatenessScope,
  type LatenessSummary, type WatermarkSimulation,
} from '../sql/lateness-sql';
import { appendedDataset, datasetWithoutFile, describeAppend } from './append-file';
import { suggestThreshold, type ThresholdSuggestion } from '../domain/suggest-threshold';
import { curveThresholdsUs } from '../domain/curve-thresholds';
import { NO_RULES, onlyGapRule, rulesKey, type SessionRules } from '../domain/rules';
import { detectCampaignColumn, PRESETS, presetRules, type PresetId } from '../domain/presets';
import { createLocalStatsEngine, type QuickLoad, type StatsEngine } from '../stats/stats-engine';
import { dropTableSql } from '../sql/read-sql';
import {
  buildEvents, detectRawMapping, outOfMemoryProblem, readRawTable, type EventsTable, type FileSource, type RawTable,
} from './dataset-loader';
import { engineMessage, LoadError } from './load-errors';
import { markThresholdChanged, measureWorker } from './threshold-timing';
import type { ColumnProfile } from '../sql/profile-sql';
import { exportCsv, exportParquet, writeParquetHere, type ExportFile, type ExportTable, type ParquetWriter } from './exports';
import { provisionalDataset, provisionalMismatch, quickReadDialect, type QuickLoaded } from './quick-dataset';
import { guessTimestampFormat } from '../domain/detect-columns';

/*
 * The app's state and the only code that sequences engine work. Rules:
 * - the latest action wins: a load, mapping change or threshold change that has been
 *   overtaken never replaces what is on screen;
 * - `result` always belongs to `dataset` and records the threshold it was computed with,
 *   so the page can say exactly what it shows;
 * - a failed action sets `error` and leaves the dataset and result as they were.
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
  /** Valid events from this file; rowsRead = events + skipped for each file. */
  events?: number;
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
  /** First rows of a file being loaded, shown before DuckDB has read it all. */
  preview: Preview | null;
  /**
   * What DuckDB still prepares for the dataset on screen (its figures come from the quick
   * read; exports, timelines and the lateness analysis wait for this), or null.
   */
  background: string | null;
}

export interface LatenessState {
  arrivalOrder: boolean;
  allowedMinutes: number;
  data: { key: string; summary: LatenessSummary; histograms: Record<LatenessScope, LatenessHistogramRow[]> } | null;
  simulation: { key: string; value: WatermarkSimulation } | null;
}

export interface StoreDeps {
  engine: Promise<Engine>;
  ingestRows: RowIngest;
  previewOf?: (source: FileSource) => Promise<Preview | null>;
  /** Defaults to writing in the calling thread (tests); the page passes a worker. */
  writeParquet?: ParquetWriter;
  /** Threshold figures from typed arrays; in-process by default, a worker in the page. */
  stats?: StatsEngine;
  /** A second engine (worker) that reads a big file's second half while `stats` reads the first. */
  quickHelper?: StatsEngine;
}

/** Table name numbers, unique per page (and per engine shared between stores in tests). */
let nextTableId = 1;

/** A load whose figures came from the quick read; DuckDB's dataset for it arrives later. */
interface ProvisionalLoad {
  provisional: Dataset;
  /**
   * Starts DuckDB's reading of the same file (its tables have the provisional dataset's
   * names), once the provisional dataset is on screen; null if abandoned.
   */
  later: () => Promise<Dataset | null>;
  /** What DuckDB's events table must give too (see provisionalMismatch). */
  check: Pick<QuickLoaded, 'checksum' | 'urls'>;
}

export class AppStore {
  private state: AppState;
  private readonly listeners = new Set<() => void>();
  /** Incremented by every load or mapping change; an older token's work is abandoned. */
  private datasetToken = 0;
  private pendingDataset = 0;
  private computing = false;

  private readonly stats: StatsEngine;
  private sessionTable: { key: string; table: string } | null = null;
  /**
   * Settles once the dataset on screen has its DuckDB tables (see ProvisionalLoad); never
   * rejects. Everything that queries those tables awaits it.
   */
  private tablesSettled: Promise<void> = Promise.resolve();

  constructor(private readonly deps: StoreDeps, initialGapMinutes = DEFAULT_GAP_MINUTES) {
    this.stats = deps.stats ?? createLocalStatsEngine();
    this.state = {
      status: 'empty', activity: null, dataset: null, result: null,
      gapMinutes: initialGapMinutes, rules: NO_RULES, error: null, preview: null, background: null,
      presetZone: 'UTC', presetCampaignColumn: null, comparison: null, timelineUser: null, timeline: null,
      lateness: { arrivalOrder: false, allowedMinutes: 5, data: null, simulation: null },
    };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): AppState => this.state;

  private set(patch: Partial<AppState>): void {
    const next = { ...this.state, ...patch };
    next.status = this.statusOf(next);
    this.state = next;
    for (const listener of this.listeners) listener();
  }

  private statusOf(s: AppState): Status {
    if (this.pendingDataset > 0 || this.computing) return 'loading';
    if (s.error !== null) return 'error';
    if (this.resultIsStale(s)) return 'loading';
    return s.dataset ? 'ready' : 'empty';
  }

  private resultIsStale(s: AppState): boolean {
    if (!s.dataset) return false;
    const r = s.result;
    return !r || r.gapMinutes !== s.gapMinutes || r.rules !== s.rules || r.eventsTable !== s.dataset.events.table
      || s.comparison?.key !== comparisonKey(s)
      || (s.timelineUser !== null && s.timeline?.key !== timelineKey(s))
      || (s.lateness.arrivalOrder && (s.lateness.data?.key !== latenessDataKey(s) || s.lateness.simulation?.key !== latenessSimKey(s)));
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
      let bytes: Uint8Array;
      try {
        const response = await fetch(url);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        bytes = new Uint8Array(await response.arrayBuffer());
      } catch (error) {
        throw new LoadError(name, `could not be fetched from ${url}: ${error instanceof Error ? error.message : String(error)}`);
      }
      return { name, size: bytes.length, data: bytes };
    });
  }

  private loadFrom(name: string, obtain: () => Promise<FileSource>): Promise<void> {
    const id = nextTableId++;
    return this.runDatasetJob(name, `Reading ${name}…`, async (engine, isLatest, created) => {
      const source = await obtain();
      if (!isLatest()) return null;
      if (this.deps.previewOf) {
        const preview = await this.deps.previewOf(source).catch(() => null);
        if (isLatest()) this.set({ preview });
      }
      const tables = { raw: `raw_${id}`, events: `events_${id}_0` };
      const dialect = await quickReadDialect(source);
      // The stats worker reads a clean file first (quickly), then DuckDB reads it fully and
      // makes its tables. Side by side, each on its own thread, they slowed each other down
      // (the 1M benchmark file was ready after 0.70 s instead of 0.61 s); the price is that
      // a file the quick read declines far down waits that much longer for DuckDB.
      const quick = dialect ? this.quickRead(tables.events, source.data, dialect) : null;
      if (quick) created.push(tables.events);
      // A quick read that fails (rather than declines) is a bug in it: DuckDB reads the file, and the page says so.
      const read = quick ? await quick.catch((error: unknown) => ({ ok: false as const, failed: engineMessage(error) })) : null;
      if (!isLatest()) return null;
      // A split rule on another column than the quick read's needs DuckDB's raw table: no provisional dataset then.
      const { splitColumn } = this.state.rules;
      const shown = read?.ok === true && (splitColumn === null || splitColumn === read.splitColumn || !read.columns.includes(splitColumn));
      // Once shown, DuckDB's tables are wanted as long as the provisional dataset is on screen.
      const progress = (activity: string): boolean => {
        if (!shown && isLatest()) this.set({ activity });
        return shown ? this.state.dataset?.raw.id === id || isLatest() : isLatest();
      };
      const later = () => this.readDataset(engine, source, id, tables.events, created, progress);
      if (shown && read?.ok) return { provisional: provisionalDataset(id, source.name, tables, read), later, check: read };
      const dataset = await later();
      if (!dataset || !read || !('failed' in read)) return dataset;
      return { ...dataset, notes: [...dataset.notes, `The quick first reading of this file failed (${read.failed}); DuckDB read it instead. Please report this.`] };
    });
  }

  /**
   * The stats engine's quick read of a file, its columns held under `key`: a big file in two
   * halves at once, the second by the helper engine (the machine's other core is idle
   * meanwhile: DuckDB waits for the quick read).
   */
  private async quickRead(key: string, data: Blob | Uint8Array, dialect: { delimiter: string; quote: string }): Promise<QuickLoad> {
    const helper = this.deps.quickHelper;
    const plan = await this.stats.quickPlan(key, data, dialect, helper !== undefined);
    if (!plan.ok) return plan;
    try {
      const spec = helper ? plan.part : null;
      const part = spec && helper ? settledLater(helper.quickPart(data, spec)) : null;
      const scanned = await this.stats.quickScan(key, part !== null);
      const second = await part;
      const declined = !scanned.ok ? scanned : second && !second.ok ? second : null;
      if (declined) {
        await this.stats.release(key);
        return declined;
      }
      return await this.stats.quickJoin(key, second?.ok ? second.part : null);
    } catch (error) {
      // The planned read holds the file's bytes in the stats engine: free them, the error goes on.
      await this.stats.release(key);
      throw error;
    }
  }

  /**
   * DuckDB's load of a file: the raw table, the detected mapping, the events table; null
   * when `progress` (told each step) says the load is no longer wanted.
   */
  private async readDataset(
    engine: Engine, source: FileSource, id: number, eventsTable: string, created: string[],
    progress: (activity: string) => boolean,
  ): Promise<Dataset | null> {
    const raw = await readRawTable(engine, source, id, this.deps.ingestRows);
    created.push(raw.table);
    if (!progress(`Finding the user and timestamp columns of ${source.name}…`)) return null;
    const detected = await detectRawMapping(engine, raw);
    if (!progress(`Sorting ${raw.rowsRead.toLocaleString('en-US')} rows by user and time…`)) return null;
    const events = await buildEvents(engine, raw, detected.mapping, eventsTable);
    created.push(events.table);
    const files = [{ name: raw.fileName, firstRowid: 0, rows: raw.rowsRead - raw.rejected, rowsRead: raw.rowsRead, rejected: raw.rejected, duplicatesDropped: 0 }];
    return { raw, events, notes: [...raw.notes, ...detected.notes], profiles: detected.profiles, files, lastAppend: null };
  }

  /**
   * Adds a late file's rows to the loaded dataset and reports how the sessions changed.
   * A file whose rows are all loaded already is refused; `dedupe` leaves out the rows that
   * are (same user, timestamp and url text).
   */
  appendFile(source: FileSource, dedupe = false): Promise<void> {
    if (!this.state.dataset) {
      this.set({ error: `${source.name}: load a file first; a late file is added to a loaded one.` });
      return Promise.resolve();
    }
    const asked = this.state.dataset;
    const id = nextTableId++;
    let appended: Awaited<ReturnType<typeof appendedDataset>> & { before: Dataset } | null = null;
    const { gapMinutes, rules } = this.state;
    return this.runDatasetJob(
      source.name,
      `Adding ${source.name}…`,
      async (engine, _isLatest, created) => {
        const current = await this.datasetWithTables(asked);
        if (!current) return null;
        appended = { ...await appendedDataset({ engine, ingestRows: this.deps.ingestRows, current, source, id, dedupe, created }), before: current };
        return appended.dataset;
      },
      (engine, dataset, created) => {
        if (!appended) throw new Error('the append finished without its dataset');
        return describeAppend(engine, this.stats, appended.before, dataset, source.name, appended.duplicates, gapMinutes, rules, id, created);
      },
    );
  }

  /** Removes one of several loaded files (by its index in dataset.files). */
  removeFile(index: number): Promise<void> {
    const asked = this.state.dataset;
    const name = asked?.files[index]?.name;
    if (!asked || name === undefined) return Promise.resolve();
    const id = nextTableId++;
    return this.runDatasetJob(name, 'Removing a file…', async (engine, _isLatest, created) => {
      const current = await this.datasetWithTables(asked);
      return current ? datasetWithoutFile(engine, current, index, id, created) : null;
    });
  }

  /** The sessions the last append changed, as the sessions export (CSV). */
  async exportChangedSessions(): Promise<ExportFile | null> {
    const { dataset, result } = this.state;
    const changed = dataset?.lastAppend;
    if (!dataset || !result || !changed) return null;
    try {
      const engine = await this.engineWithTables();
      return await exportCsv(engine, dataset, result, await this.sessionTableFor(result), 'sessions', false, changed.changedTable);
    } catch (error) {
      this.set({ error: `${dataset.raw.fileName}: the changed sessions could not be exported: ${engineMessage(error)}` });
      return null;
    }
  }

  /**
   * Re-sessionizes the loaded file with another column mapping. `guessFormat`: the timestamp
   * column changed, so its format is guessed again from what its first rows look like.
   */
  setMapping(mapping: ColumnMapping, guessFormat = false): Promise<void> {
    const asked = this.state.dataset;
    if (!asked) return Promise.resolve();
    const tableId = nextTableId++;
    return this.runDatasetJob(asked.raw.fileName, 'Applying the column mapping…', async (engine, _isLatest, created) => {
      const current = await this.datasetWithTables(asked);
      if (!current) return null;
      const profile = guessFormat && !mapping.time ? current.profiles.find((p) => p.column === mapping.timestamp) : undefined;
      const format = profile ? guessTimestampFormat(profile)?.format : undefined;
      const events = await buildEvents(engine, current.raw, format ? { ...mapping, format } : mapping, `events_${current.raw.id}_${tableId}`);
      created.push(events.table);
      // The raw table is shared with the dataset on screen: it must survive this job.
      return { ...current, events, lastAppend: null };
    });
  }

  /**
   * Runs a job that produces a new dataset. Only the latest job may replace the one on
   * screen, and only once its first result is computed; tables of jobs that fail or are
   * overtaken are dropped, and so are the tables of the dataset that is replaced.
   */
  private async runDatasetJob(
    fileName: string,
    activity: string,
    job: (engine: Engine, isLatest: () => boolean, created: string[]) => Promise<Dataset | ProvisionalLoad | null>,
    /** Runs once the new dataset's figures are ready, before it replaces the old one. */
    finish?: (engine: Engine, dataset: Dataset, created: string[]) => Promise<Dataset>,
  ): Promise<void> {
    const token = ++this.datasetToken;
    const isLatest = () => token === this.datasetToken;
    const created: string[] = [];
    const kept = new Set<string>();
    this.pendingDataset++;
    this.set({ error: null, activity });
    let engine: Engine | null = null;
    try {
      engine = await this.deps.engine;
      const outcome = await job(engine, isLatest, created);
      if (!outcome || !isLatest()) return;
      const provisional = 'provisional' in outcome ? outcome : null;
      let dataset = provisional ? provisional.provisional : outcome as Dataset;
      this.set({ activity: 'Preparing the threshold figures…' });
      const eventsTable = dataset.events.table;
      if (!provisional) {
        // The stats worker decodes the columns while DuckDB counts each file's events: side by side.
        const columnsLoaded = settledLater(this.loadStatsColumns(engine, dataset.events));
        dataset = { ...dataset, files: await this.withEventCounts(engine, eventsTable, dataset.files) };
        await columnsLoaded;
      }
      const gapBins = await this.stats.gapHistogram(eventsTable);
      dataset.explore = { gapBins, suggestion: suggestThreshold(gapBins) };
      if (!isLatest()) return;
      // A split rule on a column this file does not have is switched off, and the page says so.
      const { splitColumn } = this.state.rules;
      if (splitColumn !== null && !dataset.raw.columns.includes(splitColumn)) {
        dataset = { ...dataset, notes: [...dataset.notes, `The rule that splits sessions when "${splitColumn}" changes is off: that column is not in this file.`] };
        this.set({ rules: { ...this.state.rules, splitColumn: null } });
      }
      const result = await this.computeResult(dataset);
      if (!isLatest()) return;
      if (finish) dataset = await finish(engine, dataset, created);
      if (!isLatest()) return;
      const previous = this.state.dataset;
      kept.add(dataset.raw.table).add(dataset.events.table);
      if (dataset.lastAppend) kept.add(dataset.lastAppend.changedTable);
      if (previous?.lastAppend) created.push(previous.lastAppend.changedTable);
      const campaign = previous?.raw.id === dataset.raw.id ? this.state.presetCampaignColumn : detectCampaignColumn(dataset.raw.columns);
      const comparison = await this.comparePresets({ ...this.state, dataset, presetCampaignColumn: campaign });
      if (!isLatest()) return;
      const sameFile = previous?.raw.id === dataset.raw.id || dataset.lastAppend !== null;
      // A provisional dataset replaced before DuckDB made its tables can never come back: its
      // own settle drops its tables and columns (and those it replaced) once it is off screen.
      const before = { dataset: this.state.background === null ? previous : null, campaign: this.state.presetCampaignColumn };
      this.set({
        dataset, result, comparison, preview: null, presetCampaignColumn: campaign,
        background: provisional ? `DuckDB is still reading ${fileName} for exports, timelines and the lateness analysis…` : null,
        ...(sameFile ? {} : { timelineUser: null, timeline: null }),
      });
      const replaced: string[] = [];
      if (previous) {
        replaced.push(previous.events.table);
        if (this.sessionTable) created.push(this.sessionTable.table);
        this.sessionTable = null;
        if (previous.raw.table !== dataset.raw.table) replaced.push(previous.raw.table);
      }
      if (provisional) {
        // The dataset replaced stays until DuckDB has read the new file: should it fail, it comes back.
        const settled = this.settleProvisional(engine, fileName, provisional, before, replaced);
        this.tablesSettled = settled.catch(() => {});
      } else {
        created.push(...replaced);
        this.tablesSettled = Promise.resolve();
      }
    } catch (error) {
      if (isLatest()) this.set({ error: describeFailure(fileName, error), preview: null });
    } finally {
      this.pendingDataset--;
      const leftovers = created.filter((t) => !kept.has(t));
      for (const table of leftovers) await this.stats.release(table);
      if (engine && leftovers.length > 0) {
        await engine.exec(leftovers.map(dropTableSql).join(';\n')).catch((error: unknown) => {
          this.set({ error: `Could not free memory after loading ${fileName}: ${engineMessage(error)}` });
        });
      }
      this.set(isLatest() ? { activity: null } : {});
      this.scheduleCompute();
    }
  }

  /**
   * The dataset on screen once its tables exist (see tablesSettled), or null when it is no
   * longer the one `asked` about: DuckDB failed to read the file shown from its quick read,
   * and the dataset before it came back (the page says why).
   */
  private async datasetWithTables(asked: Dataset): Promise<Dataset | null> {
    await this.tablesSettled;
    const current = this.state.dataset;
    return current?.events.table === asked.events.table ? current : null;
  }

  /** Resolves once the dataset on screen has its DuckDB tables (they may come after its figures). */
  tablesReady(): Promise<void> {
    return this.tablesSettled;
  }

  /** The engine, once the dataset on screen has its tables (see tablesSettled). */
  private async engineWithTables(): Promise<Engine> {
    await this.tablesSettled;
    return this.deps.engine;
  }

  /**
   * Waits for DuckDB's reading of a file whose quick read is on screen, then either puts
   * DuckDB's dataset in its place (it read the file the same way: same figures, mapping and
   * events), or shows DuckDB's result instead (it did not: never seen, but DuckDB is the
   * reference), or, when DuckDB failed, brings back the dataset that was replaced, with the
   * error. Tables of whatever is no longer shown are dropped.
   */
  private async settleProvisional(
    engine: Engine, fileName: string, load: ProvisionalLoad, before: { dataset: Dataset | null; campaign: string | null }, replaced: string[],
  ): Promise<void> {
    const shown = load.provisional;
    const onScreen = () => this.state.dataset?.raw.id === shown.raw.id;
    const own = [shown.raw.table, shown.events.table];
    const drop = async (tables: string[]) => {
      for (const table of tables) await this.stats.release(table);
      if (tables.length > 0) await engine.exec(tables.map(dropTableSql).join(';\n')).catch((error: unknown) => {
        this.set({ error: `Could not free memory after loading ${fileName}: ${engineMessage(error)}` });
      });
    };
    let built: Dataset | null;
    try {
      built = await load.later();
    } catch (error) {
      if (!onScreen()) return drop([...own, ...replaced]);
      // Back to what was shown before (its tables and columns were kept for this).
      this.set({
        dataset: before.dataset, presetCampaignColumn: before.campaign, result: null, comparison: null, background: null,
        timelineUser: null, timeline: null, error: describeFailure(fileName, error),
      });
      await drop(own);
      this.scheduleCompute();
      return;
    }
    if (!built || !onScreen()) return drop([...own, ...replaced]);
    // A check that cannot be made counts as a difference: DuckDB's result is shown, and the note says why.
    const mismatch = await provisionalMismatch(engine, shown, built, load.check)
      .catch((error: unknown) => `not compared: ${engineMessage(error)}`);
    if (!onScreen()) return drop([...own, ...replaced]);
    const current = this.state.dataset ?? shown;
    if (mismatch === null) {
      // Notes added once the provisional dataset was made (a rule switched off) stay.
      const added = current.notes.filter((n) => !shown.notes.includes(n));
      this.set({ dataset: { ...built, explore: current.explore, files: current.files, notes: [...built.notes, ...added] }, background: null });
    } else {
      // The columns in the stats worker are the quick read's: DuckDB's replace them.
      this.set({ background: null });
      if (this.pendingDataset === 0) {
        void this.runDatasetJob(fileName, 'Reading the file again with DuckDB…', async () => ({
          ...built,
          notes: [...built.notes, `The quick first reading of this file differed from DuckDB's (${mismatch}); DuckDB's result is shown.`],
        }));
      }
    }
    await drop(replaced);
    this.scheduleCompute();
  }

  /**
   * Hands the events table's columns to the stats worker. Resolves once the worker holds
   * them; DuckDB is free as soon as the last column is read, while the worker decodes.
   */
  private async loadStatsColumns(engine: Engine, events: EventsTable): Promise<void> {
    const { table } = events;
    const loaded = [settledLater(this.stats.load(table, await engine.queryIpc(gapColumnsSql(table)), events.figures.users))];
    if (events.mapping.url) loaded.push(settledLater(this.stats.loadUrlColumn(table, await dictionaryColumnIpc(engine, urlColumnSql(table)))));
    await Promise.all(loaded);
  }

  setGapMinutes(minutes: number): void {
    if (minutes === this.state.gapMinutes) return;
    markThresholdChanged();
    this.set({ gapMinutes: minutes, error: null });
    this.scheduleCompute();
  }

  setBoundary(boundary: SessionRules['boundary']): void {
    this.setRules({ ...this.state.rules, boundary });
  }

  /** Sets the threshold and the rules together (a preset), or the rules alone. */
  setRules(rules: SessionRules, gapMinutes = this.state.gapMinutes): void {
    if (rulesKey(rules) === rulesKey(this.state.rules) && gapMinutes === this.state.gapMinutes) return;
    markThresholdChanged();
    this.set({ rules, gapMinutes, error: null });
    this.scheduleCompute();
  }

  /** The result on screen as a file, or null (with an error shown) when it cannot be made. */
  async exportFile(table: ExportTable, format: 'csv' | 'parquet', spreadsheetSafe = false): Promise<ExportFile | null> {
    const { dataset, result } = this.state;
    if (!dataset || !result || this.state.status === 'loading') {
      this.set({ error: 'Nothing to export yet: load a file and wait until it is ready.' });
      return null;
    }
    try {
      const engine = await this.engineWithTables();
      // The dataset shown from the quick read is gone: DuckDB failed to read its file (the page
      // says why), or another one replaced it meanwhile.
      if (this.state.dataset?.events.table !== dataset.events.table) {
        if (this.state.error === null) this.set({ error: `${dataset.raw.fileName}: the ${table} export was not made: another dataset replaced this one while DuckDB was reading it.` });
        return null;
      }
      const sessionTable = await this.sessionTableFor(result);
      if (format === 'csv') return await exportCsv(engine, dataset, result, sessionTable, table, spreadsheetSafe);
      return await exportParquet(engine, dataset, result, sessionTable, table, this.deps.writeParquet ?? writeParquetHere);
    } catch (error) {
      this.set({ error: `${dataset.raw.fileName}: the ${table} export failed: ${engineMessage(error)}` });
      return null;
    }
  }

  /**
   * The (row_number, session_number) table for a result computed with further rules, made
   * from the stats engine's numbering on first use; null for the gap rule alone (SQL
   * numbers those itself). One such table is kept at a time.
   */
  async sessionTableFor(result: SessionResult): Promise<string | null> {
    if (onlyGapRule(result.rules)) return null;
    const key = `${result.eventsTable}|${result.gapMinutes}|${rulesKey(result.rules)}`;
    if (this.sessionTable?.key === key) return this.sessionTable.table;
    const engine = await this.engineWithTables();
    const table = `session_numbers_${nextTableId++}`;
    const ipc = await this.stats.sessionNumbersIpc(result.eventsTable, minutesToUs(result.gapMinutes), result.rules);
    await engine.insertArrowIpc(table, ipc, true);
    const previous = this.sessionTable;
    this.sessionTable = { key, table };
    if (previous) await engine.exec(dropTableSql(previous.table));
    return table;
  }

  /** Shows a user's sessions (null hides the timeline); `selected` zooms to one session. */
  selectUser(userId: string | null, selected: number | null = null, eventsOffset = 0): void {
    this.set({ timelineUser: userId === null ? null : { userId, selected, eventsOffset }, ...(userId === null ? { timeline: null } : {}) });
    this.scheduleCompute();
  }

  /** Users whose id starts with `prefix` (most active first), for the search box. */
  async suggestUsers(prefix: string, limit = 10): Promise<UserSuggestionRow[]> {
    const table = this.state.dataset?.events.table;
    if (!table) return [];
    const engine = await this.engineWithTables();
    // DuckDB failed to read the file shown from its quick read: its table is gone.
    if (this.state.dataset?.events.table !== table) return [];
    return engine.query<UserSuggestionRow>(userSuggestionsSql(table, prefix, limit));
  }

  /** The most active users, by events or by sessions at the result on screen. */
  async topUsers(by: 'events' | 'sessions', limit = 10): Promise<{ key: string; rows: TopUserRow[] }> {
    const result = this.state.result;
    if (!result) return { key: '', rows: [] };
    const engine = await this.engineWithTables();
    // DuckDB failed to read the file shown from its quick read: its tables are gone.
    if (this.state.result?.eventsTable !== result.eventsTable) return { key: '', rows: [] };
    const spec = await this.sessionSpec(result);
    return { key: resultKey(result), rows: await engine.query<TopUserRow>(topUsersSql(spec, by, limit)) };
  }

  private async sessionSpec(result: SessionResult): Promise<SessionizeSpec> {
    return {
      eventsTable: result.eventsTable,
      thresholdUs: minutesToUs(result.gapMinutes),
      boundary: result.rules.boundary,
      sessionTable: await this.sessionTableFor(result),
    };
  }

  private async userTimeline(s: AppState): Promise<UserTimeline | null> {
    const { result, timelineUser } = s;
    if (!result || !timelineUser) return null;
    const engine = await this.engineWithTables();
    const spec = await this.sessionSpec(result);
    const { userId, selected, eventsOffset } = timelineUser;
    const [summary = null] = await engine.query<UserSummaryRow>(userSummarySql(spec, userId));
    const base = { key: timelineKey(s), userId, summary, selected, eventsOffset };
    if (!summary) return { ...base, sessions: [], marks: [], range: null, events: [] };
    const sessions = await engine.query<UserSessionRow>(userTimelineSql(spec, userId));
    const zoom = selected !== null && sessions.some((x) => x.sessionNumber === selected) ? selected : null;
    const range = timelineRange(summary, sessions, zoom);
    const marks = await engine.query<EventMarkRow>(userEventMarksSql(result.eventsTable, userId, range.fromUs, range.toUs, TIMELINE_COLUMNS));
    const events = zoom === null ? [] : await engine.query<UserEventRow>(userEventsSql(spec, userId, eventsOffset, TIMELINE_EVENTS_PAGE, zoom));
    return { ...base, selected: zoom, sessions, marks, range, events };
  }

  /** Each file's valid events, from the row ranges its rows have in the raw table. */
  private async withEventCounts(engine: Engine, eventsTable: string, files: LoadedFile[]): Promise<LoadedFile[]> {
    const counts = files.map((f, i) => `count(*) FILTER (WHERE row_number BETWEEN ${f.firstRowid + 1} AND ${f.firstRowid + f.rows})::DOUBLE AS f${i}`);
    const [row] = await engine.query<Record<string, number>>(`SELECT ${counts.join(', ')} FROM "${eventsTable}"`);
    return files.map((f, i) => ({ ...f, events: row?.[`f${i}`] ?? 0 }));
  }

  /** Says whether the file's row order is its arrival order (the lateness analysis needs it). */
  setLatenessArrivalOrder(arrivalOrder: boolean): void {
    this.set({ lateness: { ...this.state.lateness, arrivalOrder } });
    this.scheduleCompute();
  }

  /** The allowed lateness of the watermark simulation, in minutes (0 or more). */
  setAllowedLateness(allowedMinutes: number): void {
    this.set({ lateness: { ...this.state.lateness, allowedMinutes } });
    this.scheduleCompute();
  }

  private async latenessFor(s: AppState): Promise<Pick<LatenessState, 'data' | 'simulation'>> {
    const table = s.dataset?.events.table;
    if (!table) return { data: null, simulation: null };
    const engine = await this.engineWithTables();
    let data = s.lateness.data;
    if (data?.key !== latenessDataKey(s)) {
      const [summary] = await engine.query<LatenessSummary>(latenessSummarySql(table));
      const overall = await engine.query<LatenessHistogramRow>(latenessHistogramSql(table, 'overall'));
      const user = await engine.query<LatenessHistogramRow>(latenessHistogramSql(table, 'user'));
      if (!summary) throw new Error('the lateness summary returned no row');
      data = { key: latenessDataKey(s), summary, histograms: { overall, user } };
    }
    let simulation = s.lateness.simulation;
    if (simulation?.key !== latenessSimKey(s)) {
      const [value] = await engine.query<WatermarkSimulation>(
        watermarkSimulationSql(table, minutesToUs(s.lateness.allowedMinutes), minutesToUs(s.gapMinutes), s.rules.boundary),
      );
      if (!value) throw new Error('the watermark simulation returned no row');
      simulation = { key: latenessSimKey(s), value };
    }
    return { data, simulation };
  }

  /** The zone and campaign column the presets use; the comparison follows. */
  setPresetContext(presetZone: string, presetCampaignColumn: string | null): void {
    this.set({ presetZone, presetCampaignColumn });
    this.scheduleCompute();
  }

  private async comparePresets(s: AppState): Promise<PresetComparison> {
    const key = comparisonKey(s);
    const rows: PresetComparisonRow[] = [];
    if (!s.dataset) return { key, rows };
    const table = s.dataset.events.table;
    for (const preset of PRESETS) {
      const rules = presetRules(preset, s.presetZone, s.presetCampaignColumn);
      await this.ensureSplitColumn(table, rules, s.dataset.raw.table);
      rows.push({ preset: preset.id, label: preset.label, gapMinutes: preset.gapMinutes, stats: await this.stats.computeSummary(table, minutesToUs(preset.gapMinutes), rules) });
    }
    return { key, rows };
  }

  /** Loads the rules' split column of `rawTable` into the stats engine (for `eventsTable`) when it is not there yet. */
  private async ensureSplitColumn(eventsTable: string, rules: SessionRules, rawTable: string): Promise<void> {
    if (rules.splitColumn === null || (await this.stats.hasSplitColumn(eventsTable, rules.splitColumn))) return;
    const engine = await this.engineWithTables();
    await this.stats.loadSplitColumn(eventsTable, rules.splitColumn, await dictionaryColumnIpc(engine, rawColumnSql(rawTable, rules.splitColumn)));
  }

  /** What the engine holds now: tables and bytes, for the memory checks of the tests. */
  async engineFootprint(): Promise<{ tables: number; bytes: number }> {
    const engine = await this.engineWithTables();
    const [tables] = await engine.query<{ n: number }>('SELECT count(*)::DOUBLE AS n FROM duckdb_tables()');
    const [memory] = await engine.query<{ bytes: number }>('SELECT coalesce(sum(memory_usage_bytes), 0)::DOUBLE AS bytes FROM duckdb_memory()');
    return { tables: tables?.n ?? 0, bytes: memory?.bytes ?? 0 };
  }

  /** Reports a problem that happened outside the store (e.g. an invalid typed threshold). */
  reportError(message: string): void {
    this.set({ error: message });
  }

  /** The result for `dataset` (on screen, or about to be) at the threshold and rules of the controls. */
  private async computeResult(dataset: Dataset): Promise<SessionResult> {
    const { gapMinutes, rules, result: previous } = this.state;
    const eventsTable = dataset.events.table;
    await this.ensureSplitColumn(eventsTable, rules, dataset.raw.table);
    const askedAt = performance.now();
    const { stats, views } = await this.stats.computeWithViews(eventsTable, minutesToUs(gapMinutes), rules);
    measureWorker(askedAt);
    let curve = previous?.eventsTable === eventsTable && previous.curve.boundary === rules.boundary ? previous.curve : null;
    curve ??= { boundary: rules.boundary, points: await this.stats.thresholdCurve(eventsTable, curveThresholdsUs(), rules.boundary) };
    return { gapMinutes, rules, eventsTable, stats, views, curve };
  }

  /**
   * Recomputes for the latest threshold, one query at a time: while one runs, further
   * slider moves only update gapMinutes, and the loop picks up the newest value after.
   */
  private scheduleCompute(): void {
    if (this.computing) return;
    void this.computeLoop();
  }

  private async computeLoop(): Promise<void> {
    this.computing = true;
    let failure: string | null = null;
    for (;;) {
      const s = this.state;
      if (!s.dataset || !this.resultIsStale(s) || this.pendingDataset > 0) break;
      const eventsTable = s.dataset.events.table;
      try {
        const r = s.result;
        let patch: Partial<AppState>;
        if (!r || r.gapMinutes !== s.gapMinutes || r.rules !== s.rules || r.eventsTable !== eventsTable) {
          patch = { result: await this.computeResult(s.dataset) };
        } else if (s.comparison?.key !== comparisonKey(s)) {
          patch = { comparison: await this.comparePresets(s) };
        } else if (s.background !== null) {
          // The timeline and the lateness analysis query DuckDB's tables, which are still being
          // made: waiting for them here would hold every threshold change back. The settle of
          // the quick read starts this loop again once they exist.
          break;
        } else if (s.timelineUser !== null && s.timeline?.key !== timelineKey(s)) {
          patch = { timeline: await this.userTimeline(s) };
        } else {
          const lateness = await this.latenessFor(s);
          patch = { lateness: { ...this.state.lateness, data: lateness.data, simulation: lateness.simulation } };
        }
        if (this.state.dataset?.events.table !== eventsTable) continue;
        // When this patch completes the picture, it says so in the same notification:
        // one render per slider step rather than two.
        if (!this.resultIsStale({ ...this.state, ...patch })) this.computing = false;
        this.set(patch);
        if (!this.computing) return;
      } catch (error) {
        // A dataset replaced meanwhile (its tables dropped) is not a failure to report.
        if (this.state.dataset?.events.table === eventsTable) {
          failure = `Could not compute the sessions: ${engineMessage(error)}`;
          break;
        }
      }
    }
    this.computing = false;
    this.set(failure ? { error: failure } : {});
  }

}

/** Reads a dictionaryColumnSql result, and drops the type it made. */
async function dictionaryColumnIpc(engine: Engine, sql: { query: string; drop: string }): Promise<Uint8Array> {
  try {
    return await engine.queryIpc(sql.query);
  } finally {
    await engine.exec(sql.drop);
  }
}

/**
 * The same promise, marked as handled: it may fail while the caller awaits something else
 * first, and its failure still reaches the caller's later await.
 */
function settledLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

function resultKey(r: SessionResult): string {
  return `${r.eventsTable}|${r.gapMinutes}|${rulesKey(r.rules)}`;
}

function timelineKey(s: AppState): string {
  const u = s.timelineUser;
  return `${s.result ? resultKey(s.result) : ''}|${u?.userId}|${u?.selected}|${u?.eventsOffset}`;
}

function latenessDataKey(s: AppState): string {
  return s.dataset?.events.table ?? '';
}

function latenessSimKey(s: AppState): string {
  return `${latenessDataKey(s)}|${s.lateness.allowedMinutes}|${s.gapMinutes}|${s.rules.boundary}`;
}

function comparisonKey(s: AppState): string {
  return `${s.dataset?.events.table}|${s.presetZone}|${s.presetCampaignColumn}`;
}

function describeFailure(fileName: string, error: unknown): string {
  if (error instanceof LoadError) return error.message;
  const message = engineMessage(error);
  return `${fileName}: ${outOfMemoryProblem(message) ?? message}`;
}
