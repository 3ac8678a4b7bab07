import type { AppStore } from '../state/app-store';

const SAMPLE_NAME = 'clicks-sample.csv';

async function loadSample(store: AppStore): Promise<void> {
  const url = `${import.meta.env.BASE_URL}sample/${SAMPLE_NAME}`;
  let bytes: Uint8Array;
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    store.reportError(`The sample could not be fetched from ${url}: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  await store.loadFile({ name: SAMPLE_NAME, size: bytes.length, data: bytes });
}

export function LoadPanel({ store, busy }: { store: AppStore; busy: boolean }) {
  return (
    <section className="load-panel" aria-label="Load a clickstream">
      <label className="file-button">
        <span>Choose a file…</span>
        <input
          type="file"
          data-testid="file-input"
          accept=".csv,.tsv,.txt,.log,.ndjson,.jsonl,.json,.parquet,text/csv,text/tab-separated-values"
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            // Reset so choosing the same file again loads it again.
            e.currentTarget.value = '';
            if (file) void store.loadFile({ name: file.name, size: file.size, data: file });
          }}
        />
      </label>
      <button type="button" data-testid="load-sample" onClick={() => void loadSample(store)}>
        Try the sample
      </button>
      <span className="hint">
        or drop a file anywhere on the page — CSV, TSV, NDJSON or Parquet with a user id and a timestamp column{busy ? '' : '.'}
      </span>
    </section>
  );
}
