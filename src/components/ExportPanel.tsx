import { memo, useRef, useState } from 'react';
import type { AppStore } from '../state/app-store';
import { ExportCancelledError, type ExportProgress, type ExportTable } from '../state/exports';
import { renamedColumnNote, renamedExportColumns } from '../domain/export-columns';

// The contract's hooks, written out so a search for them finds them.
const BUTTONS: [testId: string, table: ExportTable, format: 'csv' | 'parquet', label: string][] = [
  ['export-events-csv', 'events', 'csv', 'Events (CSV)'],
  ['export-sessions-csv', 'sessions', 'csv', 'Sessions (CSV)'],
  ['export-events-parquet', 'events', 'parquet', 'Events (Parquet)'],
  ['export-sessions-parquet', 'sessions', 'parquet', 'Sessions (Parquet)'],
];

const count = new Intl.NumberFormat('en-US');

/** Download buttons for the result on screen, with the running export's progress and a way to stop it. */
export const ExportPanel = memo(function ExportPanel({ store, disabled, columns }: { store: AppStore; disabled: boolean; columns: readonly string[] }) {
  const renamed = renamedExportColumns(columns);
  const [busy, setBusy] = useState<string | null>(null);
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  const [cancelled, setCancelled] = useState<string | null>(null);
  const [spreadsheetSafe, setSpreadsheetSafe] = useState(false);
  const running = useRef<AbortController | null>(null);
  const run = async (table: ExportTable, format: 'csv' | 'parquet') => {
    const what = `${table} ${format === 'csv' ? 'CSV' : 'Parquet'}`;
    const controller = new AbortController();
    running.current = controller;
    setBusy(what);
    setProgress(null);
    setCancelled(null);
    try {
      const file = await store.queries.exportFile(table, format, spreadsheetSafe, { signal: controller.signal, onProgress: setProgress });
      if (file) download(file.name, file.blob);
    } catch (error) {
      if (!(error instanceof ExportCancelledError)) throw error;
      setCancelled(what);
    } finally {
      running.current = null;
      setBusy(null);
      setProgress(null);
    }
  };
  return (
    <section className="exports" aria-label="Export">
      <h2>Export</h2>
      <div className="export-buttons">
        {BUTTONS.map(([testId, table, format, label]) => (
          <button key={testId} type="button" data-testid={testId} disabled={disabled || busy !== null} onClick={() => void run(table, format)}>
            {label}
          </button>
        ))}
        {busy && (
          <span
            className="hint"
            role="status"
            data-testid="export-progress"
            data-rows-done={progress?.rowsDone ?? 0}
            data-rows-total={progress?.rowsTotal ?? ''}
          >
            {progress
              ? `Writing the ${busy} file: ${count.format(progress.rowsDone)} of ${count.format(progress.rowsTotal)} rows… `
              : `Preparing the ${busy} file… `}
            <progress aria-label="Exporting" {...(progress && progress.rowsTotal > 0 ? { value: progress.rowsDone, max: progress.rowsTotal } : {})} />{' '}
            <button type="button" data-testid="export-cancel" onClick={() => running.current?.abort()}>
              Cancel
            </button>
          </span>
        )}
        {cancelled && !busy && (
          <span className="hint" role="status" data-testid="export-cancelled">
            The {cancelled} export was cancelled: no file was made.
          </span>
        )}
      </div>
      <label className="checkbox">
        <input type="checkbox" data-testid="csv-spreadsheet-safe" checked={spreadsheetSafe} onChange={(e) => setSpreadsheetSafe(e.currentTarget.checked)} />
        Spreadsheet-safe CSV: prefix cells starting with = + - @ with an apostrophe so a spreadsheet cannot run them as formulas (changes those cells; off by
        default).
      </label>
      <p className="hint">
        Events: every original column as in the file, then <code>session_id</code> and <code>session_number</code>. Sessions: one row per session with start and
        end in ISO 8601 UTC (Parquet: typed timestamps and integers).
      </p>
      {renamed.length > 0 && (
        <p className="hint" data-testid="export-renamed-columns">
          {renamed.map(renamedColumnNote).join(' ')}
        </p>
      )}
    </section>
  );
});

/** Starts a browser download of the file. */
export function download(name: string, file: Blob): void {
  const url = URL.createObjectURL(file);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later: the download may still be reading the blob.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
