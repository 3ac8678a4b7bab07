import type { StatsEngine } from '../stats/stats-engine';
import { DatasetDisposedError, type DatasetHandle } from './dataset-handle';
import { describeFailure, engineMessage } from './load-errors';
import { TooLargeForDuckDb, tooLargeForDuckDbProblem } from './read-raw-table';
import type { JobContext } from './load-pipeline';
import type { PendingMapping } from './pending-mapping';
import type { Effect, ShownDataset, StoreEvent, StoreModel, ViewPatch } from './store-machine';
import type { TableLedger } from './table-ledger';
import {
  breakdownFor,
  breakdownStale,
  comparePresets,
  comparisonIsStale,
  computeResult,
  latenessFor,
  latenessDataKey,
  latenessSimKey,
  laneUsersKey,
  lanesViewKey,
  resultIsStale,
  sessionDiffIsStale,
  timelineKey,
  userTimeline,
} from './views';
import { computeSessionDiff } from './session-diff-view';
import { computeLanes, computeLaneUsers } from './lanes-view';

/*
 * Runs the effects the state machine asks for and reports their outcomes as events. Each
 * job has its own abort signal and ends exactly once; the views are computed one at a time,
 * for the dataset shown, and a view whose dataset was replaced meanwhile is dropped by the
 * machine.
 */

/** A job makes a dataset to show, or asks which columns to use (dataset-jobs.ts). */
export type JobWork = (ctx: JobContext, jobId: number) => Promise<ShownDataset | { asked: PendingMapping }>;

export interface EffectRunner {
  stats: StatsEngine;
  ledger: TableLedger;
  jobs: Map<number, { fileName: string; work: JobWork; controller: AbortController; ended: () => void }>;
  dispatch(event: StoreEvent): void;
  getModel(): StoreModel;
  context(signal: AbortSignal, jobId: number): Promise<JobContext>;
  /** A views computation is under way (it picks up whatever is stale when it ends one). */
  computing: boolean;
  /** Ends the views computation's rest early (see restBeforeComparison), or null when it is not resting. */
  wake: (() => void) | null;
  /** DuckDB's reading of a quick-read file waits for the page's first paint of it (AppStore.datasetPainted), SQL_AFTER_PAINT_MAX_MS at most. */
  sqlAfterPaint: boolean;
  /** Datasets being let go of (their tables are dropped once their queries end). */
  disposals: Set<Promise<void>>;
}

export function runEffect(runner: EffectRunner, effect: Effect): void {
  switch (effect.type) {
    case 'run-job':
      void runJob(runner, effect.jobId);
      return;
    case 'abort-job':
      runner.jobs.get(effect.jobId)?.controller.abort();
      return;
    case 'dispose': {
      const disposed = dispose(runner, effect.handle);
      runner.disposals.add(disposed);
      void disposed.then(() => runner.disposals.delete(disposed));
      return;
    }
    case 'dispose-pending':
      effect.pending
        .dispose()
        .catch((error: unknown) =>
          runner.dispatch({ type: 'error-reported', message: `Could not free the memory of ${effect.pending.raw.fileName}: ${engineMessage(error)}` }),
        );
      return;
    case 'watch-tables':
      // The handover asks the stats worker for the events, which must not delay the first
      // figures: it waits for the paint (the page calls datasetPainted), or
      // SQL_AFTER_PAINT_MAX_MS if no paint comes. DuckDB reads the raw table meanwhile.
      if (runner.sqlAfterPaint) setTimeout(() => effect.handle.showSql(), SQL_AFTER_PAINT_MAX_MS);
      else effect.handle.showSql();
      effect.handle.sql.then(
        (side) => {
          runner.dispatch({ type: 'tables-settled', handle: effect.handle, problem: null });
          void side.profiles.then((profiles) => runner.dispatch({ type: 'profiles-made', handle: effect.handle, profiles }));
        },
        (error: unknown) => runner.dispatch({ type: 'tables-settled', handle: effect.handle, problem: tablesProblem(effect.handle, error) }),
      );
      return;
    case 'compute':
      if (!runner.computing) void computeViews(runner);
      else runner.wake?.();
      return;
  }
}

async function runJob(runner: EffectRunner, jobId: number): Promise<void> {
  const job = runner.jobs.get(jobId);
  if (!job) return;
  const { signal } = job.controller;
  let ctx: JobContext | null = null;
  try {
    ctx = await runner.context(signal, jobId);
    const outcome = await job.work(ctx, jobId);
    if ('asked' in outcome) runner.dispatch({ type: 'job-asked', jobId, pending: outcome.asked });
    else runner.dispatch({ type: 'job-finished', jobId, shown: outcome });
  } catch (error) {
    if (signal.aborted || error instanceof DatasetDisposedError) runner.dispatch({ type: 'job-dropped', jobId });
    else runner.dispatch({ type: 'job-failed', jobId, message: describeFailure(job.fileName, error) });
  } finally {
    runner.jobs.delete(jobId);
    // Whatever the job made and no dataset took is dropped: on success, failure or abort alike.
    if (ctx)
      await runner.ledger
        .sweep(ctx.created)
        .catch((error: unknown) =>
          runner.dispatch({ type: 'error-reported', message: `Could not free memory after ${job.fileName}: ${engineMessage(error)}` }),
        );
    job.ended();
  }
}

async function dispose(runner: EffectRunner, handle: DatasetHandle): Promise<void> {
  try {
    await handle.dispose();
  } catch (error) {
    runner.dispatch({ type: 'error-reported', message: `Could not free the memory of ${handle.label.fileName}: ${engineMessage(error)}` });
  }
}

/** Computes the stale views of the shown dataset, one at a time, until none is stale. */
async function computeViews(runner: EffectRunner): Promise<void> {
  runner.computing = true;
  try {
    for (;;) {
      const s = runner.getModel();
      const handle = s.handle;
      if (!handle || !s.dataset) return;
      let patch: ViewPatch;
      try {
        if (resultIsStale(s)) patch = await resultWithLanes(runner.stats, handle, s);
        else if (sessionDiffIsStale(s)) patch = { sessionDiff: await computeSessionDiff(runner.stats, handle, s) };
        else if (comparisonIsStale(s)) {
          // Not on the way to 'ready': it waits for a rest, and gives way to a threshold change.
          if (!(await restBeforeComparison(runner))) continue;
          const comparison = await comparePresets(runner.stats, handle, { ...s, dataset: s.dataset }, () => resultIsStale(runner.getModel()));
          if (comparison === null) continue;
          patch = { comparison };
        }
        // The timeline and lateness query DuckDB's tables: while those are being made, waiting
        // here would hold every threshold change back; their arrival starts this again.
        else if (s.background !== null || s.sqlProblem !== null) return;
        else if (s.lanes !== null && s.laneUsers?.key !== laneUsersKey(s)) patch = { laneUsers: await computeLaneUsers(runner.stats, handle, s) };
        else if (s.lanes !== null && s.lanesView?.key !== lanesViewKey(s)) patch = { lanesView: await computeLanes(runner.stats, handle, s) };
        else if (s.timelineUser !== null && s.timeline?.key !== timelineKey(s)) patch = { timeline: await userTimeline(handle, s) };
        else if (breakdownStale(s)) patch = { breakdown: await breakdownFor(runner.stats, handle, s) };
        else if (s.compareUser !== null && s.compareTimeline?.key !== timelineKey(s, s.compareUser))
          patch = { compareTimeline: await userTimeline(handle, s, s.compareUser) };
        else if (s.lateness.arrivalOrder && (s.lateness.data?.key !== latenessDataKey(s) || s.lateness.simulation?.key !== latenessSimKey(s))) {
          patch = { lateness: { ...s.lateness, ...(await latenessFor(handle, s)) } };
        } else return;
      } catch (error) {
        // A dataset replaced meanwhile: not a failure to report (the machine would drop it),
        // and the dataset shown now may have views to compute, which this loop's next turn
        // does (its 'compute' arrived while this one ran, and was this loop's to handle).
        if (runner.getModel().handle !== handle) continue;
        if (!(error instanceof DatasetDisposedError))
          runner.dispatch({ type: 'view-failed', handle, message: `Could not compute the sessions: ${engineMessage(error)}` });
        return;
      }
      // The lateness patch keeps the settings of the moment, not those it started with.
      if (patch.lateness) patch.lateness = { ...runner.getModel().lateness, data: patch.lateness.data, simulation: patch.lateness.simulation };
      // The 'compute' this asks for is this loop's next turn.
      runner.dispatch({ type: 'view-computed', handle, patch });
    }
  } finally {
    runner.computing = false;
  }
}

/** The longest a quick-read file's handover to DuckDB waits for the page's paint. */
export const SQL_AFTER_PAINT_MAX_MS = 2000;

/**
 * How long the views computation rests, with nothing new asked, before it compares the
 * presets: a threshold change made right after a load (or a mapping or filter change)
 * then finds the stats worker free instead of behind seven passes over the events.
 */
export const COMPARISON_REST_MS = 250;

/** True after COMPARISON_REST_MS of rest; false as soon as a 'compute' arrives meanwhile. */
function restBeforeComparison(runner: EffectRunner): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      runner.wake = null;
      resolve(true);
    }, COMPARISON_REST_MS);
    runner.wake = () => {
      clearTimeout(timer);
      runner.wake = null;
      resolve(false);
    };
  });
}

/**
 * A new result, and with it the lanes on screen at that result when their users are known:
 * one patch, so the page draws the two together once per threshold change instead of the
 * figures first and the lanes (which `ready` waits for) in a second full render.
 */
async function resultWithLanes(stats: StatsEngine, handle: DatasetHandle, s: StoreModel): Promise<ViewPatch> {
  const result = await computeResult(stats, handle, s.gapMinutes, s.rules, s.result, s.userFilters);
  if (s.lanes === null || s.laneUsers?.key !== laneUsersKey(s)) return { result };
  return { result, lanesView: await computeLanes(stats, handle, { ...s, result }) };
}

function tablesProblem(handle: DatasetHandle, error: unknown): string {
  if (error instanceof TooLargeForDuckDb) return tooLargeForDuckDbProblem(error);
  return `DuckDB could not make the tables of ${handle.label.fileName}, so exports, timelines and the lateness analysis are unavailable (the figures are from the page's own reading): ${describeFailure(handle.label.fileName, error)}`;
}
