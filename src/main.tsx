import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { AppStore } from './state/app-store';
import { createBrowserEngine } from './engine/browser-engine';
import { warmUpEngine } from './engine/warm-up';
import { prepareExportsWhenSettled } from './state/prepare-exports';
import { workerIngest } from './ingest/worker-ingest';
import { previewOf } from './state/file-preview';
import { parquetInWorker } from './export/parquet-in-worker';
import { createWorkerStatsEngine } from './stats/worker-stats-engine';
import { UrlSync } from './state/url-sync';
import { readUrlSettings } from './state/url-state';
import './styles.css';

// The engine starts while the page paints, so it is warm by the time a file is chosen.
const engine = createBrowserEngine();
// The address carries the page's settings (url-state.ts, url-sync.ts): a link reproduces the view.
const fromUrl = readUrlSettings(window.location.search);
const store = new AppStore(
  {
    engine,
    ingestRows: workerIngest,
    previewOf,
    writeParquet: parquetInWorker,
    stats: createWorkerStatsEngine(),
    quickHelper: createWorkerStatsEngine(),
    sqlAfterPaint: true,
    // A core to spare while the stats worker sorts (quick-sql-side.ts): not on 2 cores.
    readRawWhileSorting: navigator.hardwareConcurrency > 2,
  },
  fromUrl.settings.gapMinutes,
);
const urlSync = new UrlSync(store, fromUrl.settings);
urlSync.start();
if (fromUrl.problems.length > 0) store.reportError(fromUrl.problems.join(' '));
engine.catch((error: unknown) => {
  store.reportError(`The DuckDB engine could not start in this browser: ${error instanceof Error ? error.message : String(error)}`);
});
// While the page is idle and empty, DuckDB takes the cost of its first reads (warm-up.ts), so
// that the first file's tables come sooner; anything the page starts (a file, the sample)
// stops it between two reads. A failed warm-up changes nothing else: a load reports its own.
const warmUp = new AbortController();
const stopWatching = store.subscribe(() => {
  if (store.getState().status === 'empty') return;
  warmUp.abort();
  stopWatching();
});
void engine.then(
  (started) => warmUpEngine(started, warmUp.signal).catch((error: unknown) => console.warn('DuckDB warm-up failed; files load as before:', error)),
  // The engine's failure to start is reported above, as the page's error.
  () => {},
);

// Once a dataset's tables are made, the slow part of its first events export is done at idle.
prepareExportsWhenSettled({
  subscribe: store.subscribe,
  toPrepare: () => store.queries.exportsToPrepare(),
  prepare: () => store.queries.prepareExports(),
  whenIdle: (run) => {
    const id = requestIdleCallback(run, { timeout: 1000 });
    return () => cancelIdleCallback(id);
  },
  warn: (message, error) => console.warn(message, error),
});

// Diagnostics for the end-to-end tests and for people curious about memory (they change no state on screen).
// prepareExports: what the page does at idle once the tables are made, awaited (a footprint taken after it does not depend on timing).
Object.assign(window, {
  sessionizerDiagnostics: {
    engineFootprint: () => store.queries.engineFootprint(),
    prepareExports: async () => {
      await store.queries.tablesReady();
      return store.queries.prepareExports();
    },
  },
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App store={store} urlSync={urlSync} />
  </StrictMode>,
);
