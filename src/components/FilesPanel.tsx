import { memo, useState } from 'react';
import type { AppStore, Dataset } from '../state/app-store';
import { formatCount } from '../domain/format';
import { skippedTotal } from '../domain/rows-add-up';
import type { SkippedCount } from '../domain/types';
import { FileButton } from './FileButton';

/** The loaded files, adding a late one, and what it changed. */
export const FilesPanel = memo(function FilesPanel({
  store,
  dataset,
  busy,
  onDownload,
}: {
  store: AppStore;
  dataset: Dataset;
  busy: boolean;
  onDownload: (name: string, file: Blob) => void;
}) {
  const [dedupe, setDedupe] = useState(false);
  const last = dataset.lastAppend;
  return (
    <section className="files-panel" aria-label="Loaded files">
      <h2>Files</h2>
      <table className="data-table" data-testid="files">
        <thead>
          <tr>
            <th>File</th>
            <th>Rows read</th>
            <th>Events</th>
            <th>Skipped</th>
            <th>Of which malformed</th>
            <th>Already loaded, left out</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {dataset.files.map((f, i) => (
            <tr key={`${f.firstRowid}:${f.name}`}>
              <td>{f.name}</td>
              <td data-value={String(f.rowsRead)}>{formatCount(f.rowsRead)}</td>
              <td data-value={String(f.events ?? '')}>{f.events === undefined ? '…' : formatCount(f.events)}</td>
              {f.skippedByReason === undefined ? (
                <td>…</td>
              ) : (
                <td data-value={String(skippedTotal(f.skippedByReason))}>
                  {formatCount(skippedTotal(f.skippedByReason))}
                  <span className="hint">{otherReasons(f.skippedByReason)}</span>
                </td>
              )}
              <td>{formatCount(f.rejected)}</td>
              <td>{formatCount(f.duplicatesDropped)}</td>
              <td>
                {dataset.files.length > 1 && (
                  <button type="button" className="link-button" disabled={busy} onClick={() => void store.removeFile(i)}>
                    Remove
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="append-row">
        <FileButton label="Add a late file…" testId="append-input" onFile={(source) => void store.appendFile(source, dedupe)} />
        <label className="checkbox">
          <input type="checkbox" data-testid="append-dedupe" checked={dedupe} onChange={(e) => setDedupe(e.currentTarget.checked)} />
          Skip rows already loaded (same user, timestamp and url)
        </label>
      </div>
      {last && (
        <div
          className="append-summary"
          data-testid="append-summary"
          data-merged={String(last.changes.merged)}
          data-extended={String(last.changes.extended)}
          data-split={String(last.changes.split)}
          data-created={String(last.changes.created)}
        >
          <p>
            Adding {last.fileName} touched {formatCount(last.changes.touchedUsers)} users at {last.gapMinutes} min: {formatCount(last.changes.merged)} sessions
            merged, {formatCount(last.changes.extended)} extended, {formatCount(last.changes.split)} split, {formatCount(last.changes.created)} created.
            {last.duplicates > 0 && ` ${formatCount(last.duplicates)} of its rows were already loaded.`}
          </p>
          {last.examples.length > 0 && (
            <ul>
              {last.examples.map((e) => (
                <li key={`${e.user_id}-${e.session_number}`}>
                  {`${e.user_id}-${e.session_number}`}: {e.change}
                </li>
              ))}
            </ul>
          )}
          <button
            type="button"
            data-testid="export-changed-sessions"
            disabled={busy}
            onClick={() => void store.queries.exportChangedSessions().then((f) => f && onDownload(f.name, f.blob))}
          >
            Changed sessions (CSV)
          </button>
        </div>
      )}
    </section>
  );
});

/** A file's skipped rows by reason, briefly; malformed lines have their own column. */
function otherReasons(byReason: readonly SkippedCount[]): string {
  const reasons = byReason.filter((r) => r.reason !== 'malformed line').map((r) => `${formatCount(r.count)} ${r.reason}`);
  return reasons.length > 0 ? ` (${reasons.join(', ')})` : '';
}
