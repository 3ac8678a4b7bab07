import { memo } from 'react';
import type { SkippedRow } from '../domain/types';
import type { Dataset } from '../state/app-store';

/**
 * "line 12" (the file's line, as an editor numbers it), "row 12" where the line could not be
 * made certain, or "late.csv, row 3" once several files are loaded.
 */
function rowLabel(dataset: Dataset, r: SkippedRow): string {
  if (dataset.files.length < 2) return r.line === undefined ? `row ${r.row}` : `line ${r.line}`;
  const file = dataset.files.find((f) => r.row - 1 >= f.firstRowid && r.row - 1 < f.firstRowid + f.rows);
  return file ? `${file.name}, row ${r.row - file.firstRowid}` : `row ${r.row}`;
}

/** Why rows were left out, with the first examples: every row of the file is accounted for. */
export const SkippedRows = memo(function SkippedRows({ dataset }: { dataset: Dataset }) {
  const { skippedByReason, skippedExamples, figures } = dataset.events;
  const rejected = dataset.raw.rejectedExamples;
  if (figures.skipped === 0) return null;
  return (
    <section className="skipped" aria-label="Skipped rows">
      <h2>Skipped rows ({figures.skipped.toLocaleString('en-US')})</h2>
      <ul>
        {skippedByReason.map((r) => (
          <li key={r.reason}>
            {r.count.toLocaleString('en-US')} × {r.reason}
          </li>
        ))}
      </ul>
      {rejected.length > 0 && (
        <table className="data-table">
          <caption>Lines that could not be split into the file's columns</caption>
          <thead>
            <tr>
              <th>Line</th>
              <th>Problem</th>
              <th>Text</th>
            </tr>
          </thead>
          <tbody>
            {rejected.map((r) => (
              <tr key={r.line}>
                <td>{r.line}</td>
                <td>{r.message}</td>
                <td className="mono">{r.text}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {skippedExamples.length > 0 && (
        <table className="data-table">
          <caption>
            First rows without a user id or a readable timestamp (line: the file's line, as an editor numbers it; row: the data row, row 1 the first below the
            header)
          </caption>
          <thead>
            <tr>
              <th>Where</th>
              <th>Reason</th>
              <th>User id</th>
              <th>Timestamp</th>
            </tr>
          </thead>
          <tbody>
            {skippedExamples.map((r) => (
              <tr key={r.row}>
                <td>{rowLabel(dataset, r)}</td>
                <td>{r.reason}</td>
                <td className="mono">{r.user ?? '(empty)'}</td>
                <td className="mono">{r.timestamp ?? '(empty)'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
});
