import { memo } from 'react';
import type { AppStore } from '../state/app-store';
import { FileButton } from './FileButton';

const SAMPLE_NAME = 'clicks-sample.csv';

/** Memoised: the page re-renders on every store change (a slider step), this only when `busy` flips. */
export const LoadPanel = memo(function LoadPanel({ store, busy }: { store: AppStore; busy: boolean }) {
  return (
    <section className="load-panel" aria-label="Load a clickstream">
      <FileButton label="Choose a file…" testId="file-input" onFile={(source) => void store.loadFile(source)} />
      <button type="button" data-testid="load-sample" onClick={() => void store.loadUrl(SAMPLE_NAME, `${import.meta.env.BASE_URL}sample/${SAMPLE_NAME}`)}>
        Try the sample
      </button>
      <span className="hint">or drop a file anywhere on the page — CSV, TSV, NDJSON or Parquet with a user id and a timestamp column{busy ? '' : '.'}</span>
    </section>
  );
});
