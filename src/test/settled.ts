import type { AppStore } from '../state/app-store';

/**
 * Resolves when the store has nothing in flight: status is not 'loading', and the dataset
 * on screen has its DuckDB tables (a quick read shows figures before they exist).
 */
export async function settled(store: AppStore): Promise<void> {
  for (;;) {
    await notLoading(store);
    await store.queries.tablesReady();
    // Settling may start more work (a failed DuckDB read brings the previous dataset back).
    if (store.getState().status !== 'loading') return;
  }
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
