import type { Preview } from '../state/app-store';

/** The first rows of a file being read, shown before DuckDB has read all of it. */
export function PreviewTable({ preview }: { preview: Preview }) {
  return (
    <section className="preview" aria-label="First rows">
      <table className="data-table" data-testid="preview">
        <caption>First rows of {preview.fileName} (read while the whole file loads)</caption>
        <thead><tr>{preview.header.map((h, i) => <th key={i}>{h}</th>)}</tr></thead>
        <tbody>
          {preview.rows.map((row, r) => (
            <tr key={r}>{row.map((cell, c) => <td key={c} className="mono">{cell}</td>)}</tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
