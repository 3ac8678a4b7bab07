import type { AppStore } from '../state/app-store';

/** Resolves when the store has nothing in flight (status is not 'loading'). */
export function settled(store: AppStore): Promise<void> {
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
