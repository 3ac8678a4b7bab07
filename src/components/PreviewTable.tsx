import type { Preview } from '../state/app-store';

/** The first rows of a file being read, shown before DuckDB has read all of it. */
export function PreviewTable({ preview }: { preview: Preview }) {
  // A fixed preview never reorders: a cell's position is its identity.
  const header = preview.header.map((name, column) => ({ id: `h${column}`, name }));
  const rows = preview.rows.map((cells, row) => ({ id: `r${row}`, cells: cells.map((text, column) => ({ id: `c${column}`, text })) }));
  return (
    <section className="preview" aria-label="First rows">
      <table className="data-table" data-testid="preview">
        <caption>First rows of {preview.fileName} (read while the whole file loads)</caption>
        <thead>
          <tr>
            {header.map((h) => (
              <th key={h.id}>{h.name}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              {row.cells.map((cell) => (
                <td key={cell.id} className="mono">
                  {cell.text}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
