import type { AppStore } from '../state/app-store';
import { comparisonIsStale } from '../state/views';

/**
 * Resolves when the store has nothing in flight: status is not 'loading', the dataset on
 * screen has its DuckDB tables (a quick read shows figures before they exist) and its preset
 * comparison (computed after 'ready').
 */
export async function settled(store: AppStore): Promise<void> {
  for (;;) {
    await notLoading(store);
    await comparisonIn(store);
    await store.queries.tablesReady();
    // Settling may start more work (a failed DuckDB read brings the previous dataset back).
    if (store.getState().status !== 'loading') return;
  }
}

function comparisonIn(store: AppStore): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      const s = store.getState();
      // An error or a question on screen ends the wait: nothing more is coming.
      if (!comparisonIsStale(s) || s.status !== 'ready') {
        unsubscribe();
        resolve();
      }
    };
    const unsubscribe = store.subscribe(check);
    check();
  });
}

function notLoading(store: AppStore): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (store.getState().status !== 'loading') {
        unsubscribe();
        resolve();
      }
    };
    const unsubscribe = store.subscribe(check);
    check();
  });
}
