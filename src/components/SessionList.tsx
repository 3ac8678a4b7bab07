import { memo, useCallback, useState } from 'react';
import type { SessionListRow, SessionPage, SessionSortKey, SortDirection } from '../domain/session-list';
import { formatInZone, isoUtcMs } from '../domain/display-zone';
import { formatCount, formatDuration } from '../domain/format';

/*
 * The session list as a virtual table: only the rows in view (and a few around them) are in
 * the DOM, whatever the total. Past a few million pixels browsers stop growing a box, so a
 * very long list scrolls over a shorter one, scaled: the scroll position picks the first
 * row, and the rows are drawn at the top of the view.
 */

export const ROW_HEIGHT = 30;
const VIEW_ROWS = 14;
const MAX_SCROLL_HEIGHT = 4_000_000;

export interface SessionListProps {
  page: SessionPage | null;
  state: 'ready' | 'loading' | 'error';
  sort: SessionSortKey;
  direction: SortDirection;
  timeZone: string;
  onSort: (sort: SessionSortKey) => void;
  /** The first row in view changed. */
  onFirstRow: (row: number) => void;
  onOpen: (row: SessionListRow) => void;
}

const COLUMNS: { key: SessionSortKey | null; label: string }[] = [
  { key: 'start', label: 'Start' },
  { key: 'duration', label: 'Duration' },
  { key: 'events', label: 'Events' },
  { key: 'user', label: 'User' },
  { key: null, label: 'Entry page' },
  { key: null, label: 'Exit page' },
];

export const SessionList = memo(function SessionList({ page, state, sort, direction, timeZone, onSort, onFirstRow, onOpen }: SessionListProps) {
  const total = page?.total ?? 0;
  const [firstRow, setFirstRow] = useState(0);
  const fullHeight = total * ROW_HEIGHT;
  const height = Math.min(fullHeight, MAX_SCROLL_HEIGHT);
  const scaled = fullHeight > height;
  const viewHeight = VIEW_ROWS * ROW_HEIGHT;
  // Rows per pixel of scrolling: 1 / ROW_HEIGHT, or more when the list is scaled.
  const rowsPerPx = scaled ? Math.max(0, total - VIEW_ROWS) / Math.max(1, height - viewHeight) : 1 / ROW_HEIGHT;
  const onScroll = useCallback(
    (top: number) => {
      // Rendered again only when the first row changes (React drops an unchanged state); between
      // changes the rows scroll with the view as any content does.
      const first = scaled ? Math.round(top * rowsPerPx) : Math.floor(top * rowsPerPx);
      setFirstRow(first);
      onFirstRow(first);
    },
    [scaled, rowsPerPx, onFirstRow],
  );
  const rows = page
    ? page.rows.map((row, i) => ({ row, index: page.offset + i })).filter(({ index }) => index >= firstRow - 2 && index < firstRow + VIEW_ROWS + 2)
    : [];
  // The first row sits where the scroll position that shows it is; the others follow it.
  const top = (index: number) => firstRow / rowsPerPx + (index - firstRow) * ROW_HEIGHT;

  return (
    <table
      className="session-list"
      data-testid="session-list"
      data-total={total}
      data-state={state}
      data-sort={sort}
      data-direction={direction}
      aria-rowcount={total + 1}
      aria-busy={state === 'loading'}
    >
      <thead>
        <tr className="session-list-row session-list-head" aria-rowindex={1}>
          {COLUMNS.map((c) => (
            <th key={c.label} scope="col" aria-sort={c.key === sort ? (direction === 'asc' ? 'ascending' : 'descending') : undefined}>
              {c.key ? (
                <button type="button" data-testid={`session-sort-${c.key}`} onClick={() => onSort(c.key as SessionSortKey)}>
                  {c.label}
                  {c.key === sort ? (direction === 'asc' ? ' ▲' : ' ▼') : ''}
                </button>
              ) : (
                c.label
              )}
            </th>
          ))}
        </tr>
      </thead>
      <tbody
        className="session-list-view"
        style={{ height: viewHeight, opacity: state === 'loading' ? 0.6 : 1 }}
        onScroll={(e) => onScroll(e.currentTarget.scrollTop)}
      >
        {/* Gives the view its scroll height; the rows are laid over it. */}
        <tr style={{ height, display: 'block' }} />
        {rows.map(({ row, index }) => (
          <tr
            key={row.sessionId}
            aria-rowindex={index + 2}
            className="session-list-row"
            data-testid="session-row"
            data-session-id={row.sessionId}
            data-user={row.userId}
            data-start={isoUtcMs(row.startUs)}
            data-events={row.events}
            style={{ position: 'absolute', top: 0, transform: `translateY(${top(index)}px)`, height: ROW_HEIGHT, left: 0, right: 0 }}
            onClick={() => onOpen(row)}
          >
            <td>{formatInZone(row.startUs, timeZone)}</td>
            <td>{formatDuration((row.endUs - row.startUs) / 1e6)}</td>
            <td>{formatCount(row.events)}</td>
            <td>
              {/* The row opens on a click anywhere; this button is the way there by keyboard. */}
              <button
                type="button"
                className="link-button session-open"
                title={`Open ${row.userId}'s timeline at session ${row.sessionNumber}`}
                onClick={(e) => {
                  e.stopPropagation();
                  onOpen(row);
                }}
              >
                {row.userId} #{row.sessionNumber}
              </button>
            </td>
            <td>{row.entryUrl ?? '—'}</td>
            <td>{row.exitUrl ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
});
