import { startTransition, useEffect, useState, useSyncExternalStore } from 'react';
import type { AppState, AppStore } from './app-store';

/** The store's state now: for controls, which must follow the person's input at once. */
export function useAppState(store: AppStore): AppState {
  return useSyncExternalStore(store.subscribe, store.getState);
}

/**
 * How long a state that is only busy (a threshold or rules change under way, nothing new to
 * show yet) waits before the page renders it: a result that comes sooner is drawn in one
 * render instead of two (the busy one re-rendered every chart to dim it). The status says
 * 'loading' at once all the same (StatusBar reads the store), and the charts' dimming has a
 * delay of its own (chart-common.tsx BUSY_DELAY_MS).
 */
export const BUSY_RENDER_DELAY_MS = 150;

/**
 * The store's state for results, rendered as a transition: React renders charts in
 * slices and yields to input in between, so a slider drag never waits for a chart. A
 * whole state renders at once (status, figures and charts commit together, so data-state
 * never describes anything but what is on screen); a state overtaken before its render
 * finishes is dropped, and the newest is drawn. A state that is only busy waits
 * BUSY_RENDER_DELAY_MS first (onlyBusier).
 */
export function useShownState(store: AppStore): AppState {
  const [state, setState] = useState(store.getState);
  useEffect(() => {
    let asked = store.getState();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const show = () => {
      const next = store.getState();
      asked = next;
      startTransition(() => setState(next));
    };
    const update = () => {
      clearTimeout(timer);
      if (onlyBusier(asked, store.getState())) timer = setTimeout(show, BUSY_RENDER_DELAY_MS);
      else show();
    };
    update();
    const unsubscribe = store.subscribe(update);
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [store]);
  return state;
}

/** Whether `next` only says that work began after `shown`: the same dataset, result, preview and question, nothing new on screen. */
export function onlyBusier(shown: AppState, next: AppState): boolean {
  return (
    shown.status === 'ready' &&
    next.status === 'loading' &&
    next.dataset === shown.dataset &&
    next.result === shown.result &&
    next.preview === shown.preview &&
    next.question === shown.question
  );
}
