import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { AppStore } from './state/app-store';
import { createBrowserEngine } from './engine/browser-engine';
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
  },
  fromUrl.settings.gapMinutes,
);
const urlSync = new UrlSync(store, fromUrl.settings);
urlSync.start();
if (fromUrl.problems.length > 0) store.reportError(fromUrl.problems.join(' '));
engine.catch((error: unknown) => {
  store.reportError(`The DuckDB engine could not start in this browser: ${error instanceof Error ? error.message : String(error)}`);
});

// Diagnostics for the end-to-end tests and for people curious about memory: read-only.
Object.assign(window, { sessionizerDiagnostics: { engineFootprint: () => store.queries.engineFootprint() } });

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App store={store} urlSync={urlSync} />
  </StrictMode>,
);
