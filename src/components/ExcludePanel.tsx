import { memo, useEffect, useState } from 'react';
import type { AppStore, SessionResult } from '../state/app-store';
import type { ExcludedUserRow, UserFilters } from '../domain/user-filters';
import { formatCount } from '../domain/format';

/*
 * Bot and outlier exclusion: users with more events than a limit, or with a cell of a
 * chosen column containing a text, are left out of every figure, chart, list and export.
 * Each field applies as it changes (the store computes only the latest), and the users
 * left out are counted and the most active of them listed.
 */

interface ExcludePanelProps {
  store: AppStore;
  filters: UserFilters;
  columns: string[];
  /** The result on screen (its exclusion says what was left out). */
  result: SessionResult | null;
}

const LISTED = 10;

export const ExcludePanel = memo(function ExcludePanel({ store, filters, columns, result }: ExcludePanelProps) {
  const [overText, setOverText] = useState(filters.maxEventsPerUser === null ? '' : String(filters.maxEventsPerUser));
  const [column, setColumn] = useState(filters.columnMatch?.column ?? '');
  const [contains, setContains] = useState(filters.columnMatch?.contains ?? '');
  // A newly loaded file without the chosen column: the store switched the match off, and so does the form.
  useEffect(() => {
    if (column !== '' && !columns.includes(column)) setColumn('');
  }, [column, columns]);
  const overValid = overText.trim() === '' || (Number.isInteger(Number(overText)) && Number(overText) >= 0);

  const apply = (over: string, col: string, text: string) => {
    const n = over.trim() === '' ? null : Number(over);
    if (n !== null && !(Number.isInteger(n) && n >= 0)) return;
    store.setUserFilters({ maxEventsPerUser: n, columnMatch: col !== '' && text !== '' ? { column: col, contains: text } : null });
  };

  const summary = result?.exclusion?.kept.summary ?? null;
  const listed = useExcludedUsers(store, result);
  return (
    <fieldset className="exclude" data-testid="exclude-panel">
      <legend>Leave users out</legend>
      <label>
        <span>Users with more events than</span>
        <input
          type="number"
          data-testid="exclude-events-over"
          min={0}
          step="1"
          placeholder="off"
          value={overText}
          aria-invalid={!overValid}
          onChange={(e) => {
            setOverText(e.currentTarget.value);
            apply(e.currentTarget.value, column, contains);
          }}
        />
      </label>
      <label>
        <span>Users whose</span>
        <select
          data-testid="exclude-column"
          value={column}
          onChange={(e) => {
            setColumn(e.currentTarget.value);
            apply(overText, e.currentTarget.value, contains);
          }}
        >
          <option value="">— column —</option>
          {columns.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>contains (any case)</span>
        <input
          type="text"
          data-testid="exclude-contains"
          placeholder="e.g. bot"
          value={contains}
          onChange={(e) => {
            setContains(e.currentTarget.value);
            apply(overText, column, e.currentTarget.value);
          }}
        />
      </label>
      {!overValid && <p className="hint">The event limit must be a whole number of 0 or more; leave it empty to keep everyone.</p>}
      <p className="hint">
        <span data-testid="stat-excluded-users" data-value={String(summary?.excludedUsers ?? 0)}>
          {formatCount(summary?.excludedUsers ?? 0)}
        </span>{' '}
        users left out
        {summary &&
          ` (${formatCount(summary.excludedEvents)} events); the figures count ${formatCount(summary.keptUsers)} users and ${formatCount(summary.keptEvents)} events`}
        .
      </p>
      {listed.length > 0 && (
        <table className="excluded-users" data-testid="excluded-users">
          <caption>Most active users left out</caption>
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Events</th>
            </tr>
          </thead>
          <tbody>
            {listed.map((u) => (
              <tr key={u.user_id} data-user={u.user_id} data-events={String(u.events)}>
                <td>{u.user_id}</td>
                <td>{formatCount(u.events)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </fieldset>
  );
});

/** The most active left-out users of `result` (DuckDB answers once its tables are there). */
function useExcludedUsers(store: AppStore, result: SessionResult | null): ExcludedUserRow[] {
  const [rows, setRows] = useState<{ table: string; rows: ExcludedUserRow[] }>({ table: '', rows: [] });
  const table = result?.exclusion ? result.eventsTable : '';
  useEffect(() => {
    if (table === '') return;
    let current = true;
    void store.queries.excludedUsers(LISTED).then((answer) => {
      if (current) setRows({ table, rows: answer.rows });
    });
    return () => {
      current = false;
    };
  }, [store, table]);
  return rows.table === table ? rows.rows : [];
}
