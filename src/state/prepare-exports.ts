/*
 * The first events export of a file spends most of its time putting the file's rows in
 * export order, which no threshold changes. Once DuckDB has made the shown dataset's tables
 * and no file is loading, the page prepares that order when it is next idle
 * (DatasetQueries.prepareExports), so the export a person asks for later only writes.
 */

export interface PrepareExportsDeps {
  subscribe(listener: () => void): () => void;
  /** DatasetQueries.exportsToPrepare: the events table to prepare now, or null. */
  toPrepare(): string | null;
  /** DatasetQueries.prepareExports. */
  prepare(): Promise<boolean>;
  /** Runs `run` when the page is next idle; returns a cancel. */
  whenIdle(run: () => void): () => void;
  /** Where a failed preparation is said (a diagnostic: the export makes the order itself and reports its own error). */
  warn(message: string, error: unknown): void;
}

/** Watches the store and prepares each shown dataset's exports once; returns the stop. */
export function prepareExportsWhenSettled(deps: PrepareExportsDeps): () => void {
  let prepared: string | null = null;
  let waiting: { key: string; cancel: () => void } | null = null;
  const check = () => {
    const key = deps.toPrepare();
    if (waiting && waiting.key !== key) {
      waiting.cancel();
      waiting = null;
    }
    if (key === null || key === prepared || waiting) return;
    const cancel = deps.whenIdle(() => {
      waiting = null;
      if (deps.toPrepare() !== key) return;
      prepared = key;
      // Tried once per dataset: a failure here (memory, say) would fail again, and an export
      // makes the order itself and reports what went wrong.
      deps.prepare().catch((error: unknown) => deps.warn('The events export could not be prepared ahead; it will be made when asked for:', error));
    });
    waiting = { key, cancel };
  };
  const unsubscribe = deps.subscribe(check);
  check();
  return () => {
    unsubscribe();
    waiting?.cancel();
    waiting = null;
  };
}
