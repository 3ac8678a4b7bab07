import { memo } from 'react';
import type { AppStore } from '../state/app-store';
import { FileButton } from './FileButton';

const SAMPLE_NAME = 'clicks-sample.csv';

/**
 * The ways to load a file. Memoised and independent of the work under way: the page renders at
 * every store change, and its hint lost its full stop while busy, a text change in the header
 * that was laid out and painted twice at every slider step.
 */
export const LoadPanel = memo(function LoadPanel({ store }: { store: AppStore }) {
  return (
    <section className="load-panel" aria-label="Load a clickstream">
      <FileButton label="Choose a file…" testId="file-input" onFile={(source) => void store.loadFile(source)} />
      <button type="button" data-testid="load-sample" onClick={() => void store.loadUrl(SAMPLE_NAME, `${import.meta.env.BASE_URL}sample/${SAMPLE_NAME}`)}>
        Try the sample
      </button>
      <span className="hint">or drop a file anywhere on the page — CSV, TSV, NDJSON or Parquet with a user id and a timestamp column.</span>
    </section>
  );
});
