import { startTransition, useEffect, useState, useSyncExternalStore } from 'react';
import type { AppState, AppStore } from './app-store';

/** The store's state now: for controls, which must follow the person's input at once. */
export function useAppState(store: AppStore): AppState {
  return useSyncExternalStore(store.subscribe, store.getState);
}

/**
 * The store's state for results, rendered as a transition: React renders charts in
 * slices and yields to input in between, so a slider drag never waits for a chart. A
 * whole state renders at once (status, figures and charts commit together, so data-state
 * never describes anything but what is on screen); a state overtaken before its render
 * finishes is dropped, and the newest is drawn.
 */
export function useShownState(store: AppStore): AppState {
  const [state, setState] = useState(store.getState);
  useEffect(() => {
    const update = () => startTransition(() => setState(store.getState()));
    update();
    return store.subscribe(update);
  }, [store]);
  return state;
}
