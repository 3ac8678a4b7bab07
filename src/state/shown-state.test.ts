import { describe, expect, it } from 'vitest';
import { initialModel } from './store-machine';
import { onlyBusier } from './useAppState';
import type { AppState } from './types';

/*
 * useShownState renders a state that is only busier (a change under way, nothing new to
 * draw) after a delay, so that a quick result is drawn in one render. Anything new to show
 * must not wait: a result, a dataset, a preview, a question, an error, the end of the work.
 */

const ready: AppState = { ...initialModel(30), status: 'ready' };
const dataset = {} as NonNullable<AppState['dataset']>;
const result = {} as NonNullable<AppState['result']>;

describe('onlyBusier', () => {
  it('is true for a ready state going to loading with nothing new', () => {
    expect(onlyBusier(ready, { ...ready, status: 'loading', gapMinutes: 31 })).toBe(true);
    expect(onlyBusier({ ...ready, dataset, result }, { ...ready, dataset, result, status: 'loading', activity: 'Working…' })).toBe(true);
  });

  it('is false when anything new is to be drawn, or the work has ended', () => {
    const shown: AppState = { ...ready, dataset, result };
    expect(onlyBusier(shown, { ...shown, status: 'loading', result: { ...result } })).toBe(false);
    expect(onlyBusier(shown, { ...shown, status: 'loading', dataset: { ...dataset } })).toBe(false);
    expect(onlyBusier(shown, { ...shown, status: 'loading', preview: {} as NonNullable<AppState['preview']> })).toBe(false);
    expect(onlyBusier(shown, { ...shown, status: 'loading', question: {} as NonNullable<AppState['question']> })).toBe(false);
    expect(onlyBusier(shown, { ...shown, status: 'error' })).toBe(false);
    expect(onlyBusier(shown, { ...shown, status: 'ready' })).toBe(false);
    // Already drawn as loading (the delay passed): later states are drawn as they come.
    expect(onlyBusier({ ...shown, status: 'loading' }, { ...shown, status: 'loading', activity: 'Reading…' })).toBe(false);
  });
});
