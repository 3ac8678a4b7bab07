import { guessTimestampFormat, type ChosenColumns } from '../domain/detect-columns';
import { detectCampaignColumn } from '../domain/presets';
import type { ColumnMapping } from '../domain/types';
import { appendedDataset, datasetWithoutFile, describeAppend } from './append-file';
import { buildEvents } from './build-events';
import type { FileSource } from './raw-table';
import type { DatasetHandle } from './dataset-handle';
import { datasetFromRaw, readFileDataset, withWorkerColumns, type JobContext } from './load-pipeline';
import { LOAD_MEASURES, measureLoadStep, timeLoadStep } from './load-timing';
import { detectRawMapping, mappingQuestion } from './detect-mapping';
import { PendingMapping } from './pending-mapping';
import { openCompressed } from './open-compressed';
import type { ShownDataset } from './store-machine';
import type { AppState, Dataset } from './types';
import { suggestionFor } from './suggestion';
import { curveThresholdsUs } from '../domain/curve-thresholds';
import { computeResult } from './views';

/*
 * The four jobs that make a new dataset, each from a job context (abort signal, progress,
 * the tables it made) to a dataset ready to be shown with its first figures. They never
 * touch the store: the store's state machine decides whether the outcome is shown.
 */

/** The settings a job computes its first figures with (read when they are needed). */
export type Settings = () => Pick<AppState, 'gapMinutes' | 'rules' | 'presetZone' | 'presetCampaignColumn' | 'userFilters' | 'breakdownColumn'>;

/** Table ids, unique per page (and per engine shared between stores in tests). */
let nextId = 1;
export const newTableId = () => nextId++;

/** What a job is asked about: the dataset shown when it was asked for, and its handle. */
export interface Shown {
  dataset: Dataset;
  handle: DatasetHandle;
}

/** A load that asks which columns to use, holding the file's raw table for the answer. */
export interface AskedMapping {
  asked: PendingMapping;
}

export type JobOutcome = ShownDataset | AskedMapping;

export async function loadJob(ctx: JobContext, chosen: FileSource, settings: Settings): Promise<JobOutcome> {
  const { source, notes } = await timeLoadStep(LOAD_MEASURES.open, () => openCompressed(ctx, chosen));
  const built = await readFileDataset(ctx, source, newTableId(), settings().rules.splitColumn);
  if ('ask' in built) {
    const { question, raw, profiles } = built.ask;
    return { asked: new PendingMapping(question, raw, profiles, [...notes, ...built.ask.notes], ctx.ledger) };
  }
  return prepareShown(ctx, { ...built, dataset: { ...built.dataset, notes: [...notes, ...built.dataset.notes] } }, settings, null);
}

/**
 * Loads a file the page asked about with the columns a person chose, from the raw table read
 * before (kept alive here while the job runs). If roles are still open, asks again.
 */
export async function answerJob(ctx: JobContext, pending: PendingMapping, chosen: ChosenColumns, settings: Settings): Promise<JobOutcome> {
  const { raw } = pending;
  ctx.ledger.retain([raw.table]);
  try {
    ctx.signal.throwIfAborted();
    const detected = await detectRawMapping(ctx.engine, raw, { chosen, profiles: pending.profiles });
    ctx.signal.throwIfAborted();
    if (detected.uncertain.length > 0) {
      const question = await mappingQuestion(ctx.engine, raw, detected);
      return { asked: new PendingMapping(question, raw, pending.profiles, pending.notes, ctx.ledger) };
    }
    const built = await datasetFromRaw(ctx, raw, detected, pending.notes, `events_${raw.id}_${newTableId()}`);
    return await prepareShown(ctx, built, settings, null);
  } finally {
    await ctx.ledger.release([raw.table]);
  }
}

/**
 * Re-sessionizes the shown file with another column mapping. `guessFormat`: the timestamp
 * column changed, so its format is guessed again from what its first rows look like.
 */
export function mappingJob(ctx: JobContext, asked: Shown, mapping: ColumnMapping, guessFormat: boolean, settings: Settings): Promise<ShownDataset> {
  return asked.handle.withSql(async (engine, side) => {
    const profiles = await side.profiles;
    const profile = guessFormat && !mapping.time ? profiles.find((p) => p.column === mapping.timestamp) : undefined;
    const format = profile ? guessTimestampFormat(profile)?.format : undefined;
    const events = await buildEvents(engine, side.raw, format ? { ...mapping, format } : mapping, `events_${side.raw.id}_${newTableId()}`);
    ctx.created.push(events.table);
    // The raw table stays shared with the dataset shown (the ledger keeps it for both).
    const dataset: Dataset = { ...asked.dataset, raw: side.raw, profiles, events, lastAppend: null };
    return prepareShown(ctx, await withWorkerColumns(ctx, dataset, side), settings, asked.dataset);
  });
}

/**
 * Adds a late file's rows to the shown dataset and reports how the sessions changed.
 * A file whose rows are all loaded already is refused; `dedupe` leaves out the rows that are.
 */
export function appendJob(ctx: JobContext, asked: Shown, chosen: FileSource, dedupe: boolean, settings: Settings): Promise<ShownDataset> {
  const { gapMinutes, rules } = settings();
  return asked.handle.withSql(async (engine, side) => {
    const { source, notes } = await openCompressed(ctx, chosen);
    const id = newTableId();
    const current: Dataset = { ...asked.dataset, raw: side.raw, profiles: await side.profiles };
    const appended = await appendedDataset({ engine, ingestRows: ctx.ingestRows, current, source, id, dedupe, created: ctx.created });
    const { duplicates } = appended;
    const dataset = { ...appended.dataset, notes: [...appended.dataset.notes, ...notes.map((n) => `${source.name}: ${n}`)] };
    const built = await withWorkerColumns(ctx, dataset, { raw: dataset.raw, profiles: side.profiles });
    return prepareShown(ctx, built, settings, asked.dataset, async (after) => {
      const described = await describeAppend(engine, ctx.stats, current, after, source.name, duplicates, gapMinutes, rules, id, ctx.created);
      if (described.lastAppend) built.handle.adopt([described.lastAppend.changedTable]);
      return described;
    });
  });
}

/** The shown dataset without one of its files (by its index in dataset.files). */
export function removeFileJob(ctx: JobContext, asked: Shown, index: number, settings: Settings): Promise<ShownDataset> {
  return asked.handle.withSql(async (engine, side) => {
    const id = newTableId();
    const current: Dataset = { ...asked.dataset, raw: side.raw, profiles: await side.profiles };
    const dataset = await datasetWithoutFile(engine, current, index, id, ctx.created);
    return prepareShown(ctx, await withWorkerColumns(ctx, dataset, { raw: dataset.raw, profiles: side.profiles }), settings, asked.dataset);
  });
}

/**
 * A built dataset's first figures: the gap histogram and suggestion, and the result at the
 * settings of the moment (the preset comparison follows once they are shown: store-effects.ts).
 * The handle is disposed if this fails (nothing else holds it yet).
 */
async function prepareShown(
  ctx: JobContext,
  built: Shown,
  settings: Settings,
  before: Dataset | null,
  finish?: (dataset: Dataset) => Promise<Dataset>,
): Promise<ShownDataset> {
  const { handle } = built;
  let dataset = built.dataset;
  const figuresStarted = performance.now();
  try {
    ctx.progress('Preparing the threshold figures…');
    const eventsTable = dataset.events.table;
    const gapBins = await ctx.stats.gapHistogram(eventsTable);
    ctx.signal.throwIfAborted();
    const { gapMinutes, rules, presetCampaignColumn, breakdownColumn } = settings();
    // A column match on a column this file does not have is switched off too.
    let { userFilters } = settings();
    let changedFilters = null;
    const matchColumn = userFilters.columnMatch?.column;
    if (matchColumn !== undefined && !dataset.raw.columns.includes(matchColumn)) {
      dataset = { ...dataset, notes: [...dataset.notes, `Users are no longer left out by "${matchColumn}": that column is not in this file.`] };
      userFilters = { ...userFilters, columnMatch: null };
      changedFilters = userFilters;
    }
    // A split rule on a column this file does not have is switched off, and the page says so.
    let changedRules = null;
    if (rules.splitColumn !== null && !dataset.raw.columns.includes(rules.splitColumn)) {
      dataset = {
        ...dataset,
        notes: [...dataset.notes, `The rule that splits sessions when "${rules.splitColumn}" changes is off: that column is not in this file.`],
      };
      changedRules = { ...rules, splitColumn: null };
    }
    const result = await computeResult(ctx.stats, handle, gapMinutes, changedRules ?? rules, null, userFilters);
    ctx.signal.throwIfAborted();
    // The dataset's own curve (the result's is the kept users' when a filter is on).
    const curve =
      result.eventsTable === eventsTable && result.curve.boundary === 'ge'
        ? result.curve.points
        : await ctx.stats.thresholdCurve(eventsTable, curveThresholdsUs(), 'ge');
    const suggestion = await suggestionFor(ctx.stats, eventsTable, gapBins, dataset.events.figures.users, curve);
    dataset = { ...dataset, explore: { gapBins, suggestion } };
    ctx.signal.throwIfAborted();
    if (finish) dataset = await finish(dataset);
    ctx.signal.throwIfAborted();
    const sameFile = before !== null;
    const campaign = before?.raw.id === dataset.raw.id ? presetCampaignColumn : detectCampaignColumn(dataset.raw.columns);
    measureLoadStep(LOAD_MEASURES.firstFigures, figuresStarted);
    return {
      dataset,
      handle,
      result,
      presetCampaignColumn: campaign,
      rules: changedRules,
      userFilters: changedFilters,
      breakdownColumnGone: breakdownColumn !== null && !dataset.raw.columns.includes(breakdownColumn),
      sameFile,
      tablesPending: !handle.tablesMade,
    };
  } catch (error) {
    await handle.dispose();
    throw error;
  }
}
