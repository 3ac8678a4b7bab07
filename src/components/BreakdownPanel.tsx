import { memo } from 'react';
import type { AppStore } from '../state/app-store';
import type { Breakdown } from '../domain/breakdown';
import { formatCount, formatDuration } from '../domain/format';

/*
 * The figures by one column's values (device, source, event type): events and users with
 * each value, and the sessions that start with it. Computed in the stats worker with the
 * result, so it follows the threshold, the rules and the users left out.
 */

interface BreakdownPanelProps {
  store: AppStore;
  columns: string[];
  column: string | null;
  breakdown: Breakdown | null;
  loading: boolean;
}

export const BreakdownPanel = memo(function BreakdownPanel({ store, columns, column, breakdown, loading }: BreakdownPanelProps) {
  const shown = breakdown && breakdown.column === column ? breakdown : null;
  return (
    <section className="breakdown" aria-label="Breakdown by a column" data-testid="breakdown" aria-busy={loading}>
      <h2>Break the figures down</h2>
      <label>
        <span>By the values of </span>
        <select data-testid="breakdown-column" value={column ?? ''} onChange={(e) => store.setBreakdownColumn(e.currentTarget.value || null)}>
          <option value="">— no breakdown —</option>
          {columns.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      {shown && (
        <table data-testid="breakdown-table" data-values={String(shown.values)}>
          <caption>
            {shown.values > shown.rows.length
              ? `The ${shown.rows.length} most frequent of ${formatCount(shown.values)} values of ${shown.column}`
              : `Every value of ${shown.column}`}
          </caption>
          <thead>
            <tr>
              <th scope="col">{shown.column}</th>
              <th scope="col">Events</th>
              <th scope="col">Users</th>
              <th scope="col" title="Sessions whose first event has this value">
                Sessions started
              </th>
              <th scope="col">Mean session</th>
            </tr>
          </thead>
          <tbody>
            {shown.rows.map((r) => (
              <tr
                key={r.value ?? ''}
                data-testid="breakdown-row"
                data-value={r.value ?? ''}
                data-events={String(r.events)}
                data-users={String(r.users)}
                data-sessions={String(r.sessionsStarted)}
                data-mean-duration={String(r.meanDurationSeconds)}
              >
                <td>{r.value ?? '(empty)'}</td>
                <td>{formatCount(r.events)}</td>
                <td>{formatCount(r.users)}</td>
                <td>{formatCount(r.sessionsStarted)}</td>
                <td>{r.sessionsStarted > 0 ? formatDuration(r.meanDurationSeconds) : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
});
