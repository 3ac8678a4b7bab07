import { describe, expect, it } from 'vitest';
import { NO_RULES } from '../domain/rules';
import type { DatasetHandle } from './dataset-handle';
import type { PendingMapping } from './pending-mapping';
import { initialModel, transition, type ShownDataset, type StoreModel, type ViewPatch } from './store-machine';
import type { Dataset, SessionResult } from './types';
import { lanesViewKey, laneUsersKey } from './views';

/*
 * The state machine alone: pure, so every rule is a table row. Handles are opaque tokens to
 * it (it only compares them and names them in effects).
 */

const handle = (name: string) => ({ label: { fileName: name, eventsTable: `events_${name}` } }) as unknown as DatasetHandle;

function shown(name: string, tablesPending = false): ShownDataset {
  const dataset = { raw: { fileName: name }, events: { table: `events_${name}` } } as unknown as Dataset;
  const result = { gapMinutes: 30, rules: NO_RULES, eventsTable: `events_${name}` } as unknown as SessionResult;
  return { dataset, handle: handle(name), result, presetCampaignColumn: null, rules: null, sameFile: false, tablesPending };
}

// Lanes off: the rules below are about jobs and datasets, not the views they then ask for.
const EMPTY = { ...initialModel(30), lanes: null };

/** A model showing `a.csv`, no job under way. */
function showingA(): StoreModel {
  const started = transition(EMPTY, { type: 'job-started', job: { id: 1, fileName: 'a.csv' }, activity: 'Reading a.csv…' }).model;
  return transition(started, { type: 'job-finished', jobId: 1, shown: shown('a.csv') }).model;
}

describe('transition', () => {
  it('a finished current job shows its dataset, ready, and asks for the views', () => {
    const m = showingA();
    expect(m).toMatchObject({ status: 'ready', job: null, error: null, dataset: { raw: { fileName: 'a.csv' } } });
  });

  it('with the lanes shown (the default), a finished job is ready before they are drawn; a threshold change waits for the lanes on screen', () => {
    const started = transition(initialModel(30), { type: 'job-started', job: { id: 1, fileName: 'a.csv' }, activity: '' }).model;
    const finished = transition(started, { type: 'job-finished', jobId: 1, shown: shown('a.csv') }).model;
    expect(finished.status).toBe('ready');
    const h = finished.handle as DatasetHandle;
    const computed = (m: StoreModel, patch: ViewPatch) => transition(m, { type: 'view-computed', handle: h, patch }).model;
    const users = computed(finished, { laneUsers: { key: laneUsersKey(finished), users: [] } });
    const lanes = computed(users, { lanesView: { key: lanesViewKey(users), lanes: [], maxBars: 1 } });
    expect(lanes.status).toBe('ready');
    const moved = transition(lanes, { type: 'settings-changed', patch: { gapMinutes: 60 }, clearError: true }).model;
    const result = computed(moved, { result: { ...(moved.result as SessionResult), gapMinutes: 60 } });
    expect(result.status).toBe('loading');
    expect(computed(result, { lanesView: { key: lanesViewKey(result), lanes: [], maxBars: 1 } }).status).toBe('ready');
  });

  it('a new job aborts the one under way (latest wins) and clears the error', () => {
    const running = transition({ ...showingA(), error: 'old' }, { type: 'job-started', job: { id: 2, fileName: 'b.csv' }, activity: '' });
    const { model, effects } = transition(running.model, { type: 'job-started', job: { id: 3, fileName: 'c.csv' }, activity: '' });
    expect(effects).toEqual([
      { type: 'abort-job', jobId: 2 },
      { type: 'run-job', jobId: 3 },
    ]);
    expect(model).toMatchObject({ status: 'loading', error: null, job: { id: 3 }, dataset: { raw: { fileName: 'a.csv' } } });
  });

  it('the outcome of a job that is no longer current is disposed, never shown', () => {
    const running = transition(showingA(), { type: 'job-started', job: { id: 3, fileName: 'c.csv' }, activity: '' }).model;
    const late = shown('b.csv');
    const { model, effects } = transition(running, { type: 'job-finished', jobId: 2, shown: late });
    expect(model).toBe(running);
    expect(effects).toEqual([{ type: 'dispose', handle: late.handle }]);
  });

  it('replacing a dataset disposes the one it replaces, and watches the tables of a quick-read one', () => {
    const before = showingA();
    const running = transition(before, { type: 'job-started', job: { id: 2, fileName: 'b.csv' }, activity: '' }).model;
    const next = shown('b.csv', true);
    const { model, effects } = transition(running, { type: 'job-finished', jobId: 2, shown: next });
    expect(effects).toEqual([{ type: 'dispose', handle: before.handle }, { type: 'watch-tables', handle: next.handle }, { type: 'compute' }]);
    expect(model).toMatchObject({ status: 'ready', background: expect.stringMatching(/DuckDB is still reading b\.csv/) });
  });

  it('a failed job says why and leaves the dataset shown', () => {
    const running = transition(showingA(), { type: 'job-started', job: { id: 2, fileName: 'bad.csv' }, activity: '' }).model;
    const { model } = transition(running, { type: 'job-failed', jobId: 2, message: 'bad.csv: no timestamps' });
    expect(model).toMatchObject({ status: 'error', error: 'bad.csv: no timestamps', job: null, dataset: { raw: { fileName: 'a.csv' } } });
  });

  it('views and table outcomes of a dataset no longer shown are dropped', () => {
    const m = showingA();
    const other = handle('z.csv');
    expect(transition(m, { type: 'view-failed', handle: other, message: 'x' }).model).toBe(m);
    expect(transition(m, { type: 'tables-settled', handle: other, problem: 'x' }).model).toBe(m);
    expect(transition(m, { type: 'profiles-made', handle: other, profiles: [] }).model).toBe(m);
    expect(transition(m, { type: 'view-computed', handle: other, patch: { timeline: null } }).model).toBe(m);
  });

  it('DuckDB failing to make the tables keeps the figures and says why', () => {
    const m = showingA();
    const { model } = transition(m, { type: 'tables-settled', handle: m.handle as DatasetHandle, problem: 'DuckDB could not…' });
    expect(model).toMatchObject({ status: 'ready', sqlProblem: 'DuckDB could not…', background: null, dataset: m.dataset });
  });

  it('a threshold change is loading until its figures come', () => {
    const { model, effects } = transition(showingA(), { type: 'settings-changed', patch: { gapMinutes: 45 }, clearError: true });
    expect(model.status).toBe('loading');
    expect(effects).toEqual([{ type: 'compute' }]);
  });

  describe('the mapping question', () => {
    const pending = (name: string) => ({ raw: { fileName: name }, question: { fileName: name, columns: [], roles: [] } }) as unknown as PendingMapping;
    const asking = (p: PendingMapping) => {
      const started = transition(showingA(), { type: 'job-started', job: { id: 2, fileName: 'q.csv' }, activity: '' }).model;
      return transition(started, { type: 'job-asked', jobId: 2, pending: p });
    };

    it('asking keeps the dataset shown, ready, with the question and its pending raw table', () => {
      const p = pending('q.csv');
      const { model, effects } = asking(p);
      expect(model).toMatchObject({ status: 'ready', job: null, question: { fileName: 'q.csv' }, dataset: { raw: { fileName: 'a.csv' } } });
      expect(model.pending).toBe(p);
      expect(effects).toEqual([{ type: 'compute' }]);
    });

    it('a question from a job no longer current is disposed, never shown', () => {
      const started = transition(showingA(), { type: 'job-started', job: { id: 2, fileName: 'q.csv' }, activity: '' }).model;
      const newer = transition(started, { type: 'job-started', job: { id: 3, fileName: 'b.csv' }, activity: '' }).model;
      const p = pending('q.csv');
      const { model, effects } = transition(newer, { type: 'job-asked', jobId: 2, pending: p });
      expect(model.question).toBeNull();
      expect(effects).toEqual([{ type: 'dispose-pending', pending: p }]);
    });

    it('another job drops the question; the answer keeps it until its dataset is shown', () => {
      const p = pending('q.csv');
      const other = transition(asking(p).model, { type: 'job-started', job: { id: 3, fileName: 'b.csv' }, activity: '' });
      expect(other.model).toMatchObject({ question: null, pending: null, status: 'loading' });
      expect(other.effects).toContainEqual({ type: 'dispose-pending', pending: p });

      const answering = transition(asking(p).model, { type: 'job-started', job: { id: 3, fileName: 'q.csv', answering: true }, activity: '' });
      expect(answering.model).toMatchObject({ question: { fileName: 'q.csv' }, status: 'loading' });
      expect(answering.effects).not.toContainEqual({ type: 'dispose-pending', pending: p });
      const failed = transition(answering.model, { type: 'job-failed', jobId: 3, message: 'q.csv: no' });
      expect(failed.model).toMatchObject({ status: 'error', question: { fileName: 'q.csv' } });
      const done = transition(answering.model, { type: 'job-finished', jobId: 3, shown: shown('q.csv') });
      expect(done.model).toMatchObject({ status: 'ready', question: null, pending: null, dataset: { raw: { fileName: 'q.csv' } } });
      expect(done.effects).toContainEqual({ type: 'dispose-pending', pending: p });
    });

    it('cancel drops the question (aborting an answer under way); the dataset shown stays', () => {
      const p = pending('q.csv');
      const cancelled = transition(asking(p).model, { type: 'question-cancelled' });
      expect(cancelled.model).toMatchObject({ status: 'ready', question: null, pending: null, dataset: { raw: { fileName: 'a.csv' } } });
      expect(cancelled.effects).toContainEqual({ type: 'dispose-pending', pending: p });
      const answering = transition(asking(p).model, { type: 'job-started', job: { id: 3, fileName: 'q.csv', answering: true }, activity: '' }).model;
      const aborted = transition(answering, { type: 'question-cancelled' });
      expect(aborted.model).toMatchObject({ status: 'ready', job: null, question: null });
      expect(aborted.effects).toContainEqual({ type: 'abort-job', jobId: 3 });
    });
  });
});
