import { memo, useState } from 'react';
import type { AppStore } from '../state/app-store';
import type { ExportTable } from '../state/exports';
import { renamedColumnNote, renamedExportColumns } from '../domain/export-columns';

// The contract's hooks, written out so a search for them finds them.
const BUTTONS: [testId: string, table: ExportTable, format: 'csv' | 'parquet', label: string][] = [
  ['export-events-csv', 'events', 'csv', 'Events (CSV)'],
  ['export-sessions-csv', 'sessions', 'csv', 'Sessions (CSV)'],
  ['export-events-parquet', 'events', 'parquet', 'Events (Parquet)'],
  ['export-sessions-parquet', 'sessions', 'parquet', 'Sessions (Parquet)'],
];

/** Download buttons for the result on screen. */
export const ExportPanel = memo(function ExportPanel({ store, disabled, columns }: { store: AppStore; disabled: boolean; columns: readonly string[] }) {
  const renamed = renamedExportColumns(columns);
  const [busy, setBusy] = useState<string | null>(null);
  const [spreadsheetSafe, setSpreadsheetSafe] = useState(false);
  const run = async (table: ExportTable, format: 'csv' | 'parquet') => {
    setBusy(`${table} ${format === 'csv' ? 'CSV' : 'Parquet'}`);
    try {
      const file = await store.queries.exportFile(table, format, spreadsheetSafe);
      if (file) download(file.name, file.mimeType, file.bytes);
    } finally {
      setBusy(null);
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
          <span className="hint" role="status">
            Preparing the {busy} file… <progress aria-label="Exporting" />
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

export function download(name: string, mimeType: string, bytes: Uint8Array): void {
  const url = URL.createObjectURL(new Blob([bytes.slice()], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later: the download may still be reading the blob.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
