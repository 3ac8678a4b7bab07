import type { AppStore } from '../state/app-store';
import { FileButton } from './FileButton';

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
      <FileButton label="Choose a file…" testId="file-input" onFile={(source) => void store.loadFile(source)} />
      <button type="button" data-testid="load-sample" onClick={() => void loadSample(store)}>
        Try the sample
      </button>
      <span className="hint">
        or drop a file anywhere on the page — CSV, TSV, NDJSON or Parquet with a user id and a timestamp column{busy ? '' : '.'}
      </span>
    </section>
  );
}
