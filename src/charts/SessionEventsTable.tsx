import { Fragment } from 'react';
import type { UserEventRow } from '../domain/types';
import type { SessionBreak } from '../domain/session-breaks';
import { formatCount, formatDuration } from '../domain/format';
import { formatZoned } from '../domain/zoned-time';
import { TIMELINE_EVENTS_PAGE } from '../domain/timeline-range';

export interface SessionEventsTableProps {
  /** What the rows are: one session ("Session 3") or the user's whole story. */
  title: string;
  /** The zoomed session's number (data-session), or null for all sessions. */
  sessionNumber: number | null;
  /** Events in the table (the session's, or the user's), for paging. */
  total: number;
  /** One page (TIMELINE_EVENTS_PAGE rows at most) of events in time order, from `offset`. */
  events: readonly UserEventRow[];
  /** Every file column of those events, aligned with them. */
  cells: { columns: readonly string[]; values: readonly (readonly (string | null)[])[] };
  /** Why each session starts, by session number. */
  breaks: ReadonlyMap<number, SessionBreak>;
  /** The index (in the table's whole order) of each session's first event, by session number. */
  sessionStarts: ReadonlyMap<number, number>;
  offset: number;
  onPage: (offset: number) => void;
  timeZone: string;
}

/**
 * A user's events in order with every column of the file, the gap to the previous event,
 * and a row before each session's first event naming the rule that started it; paged.
 */
export function SessionEventsTable({ title, sessionNumber, total, events, cells, breaks, sessionStarts, offset, onPage, timeZone }: SessionEventsTableProps) {
  const last = Math.min(total, offset + events.length);
  const width = 3 + cells.columns.length;
  return (
    <div data-testid="timeline-events" data-session={sessionNumber ?? ''} style={{ marginTop: 8 }}>
      <div style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap', fontSize: 14 }}>
        <strong>{title}</strong>
        {total > TIMELINE_EVENTS_PAGE && (
          <span style={{ marginLeft: 'auto', display: 'flex', gap: 6, alignItems: 'center' }}>
            <button type="button" disabled={offset === 0} onClick={() => onPage(Math.max(0, offset - TIMELINE_EVENTS_PAGE))}>
              Previous
            </button>
            <span aria-live="polite">{`events ${formatCount(offset + 1)}–${formatCount(last)} of ${formatCount(total)}`}</span>
            <button type="button" disabled={last >= total} onClick={() => onPage(offset + TIMELINE_EVENTS_PAGE)}>
              Next
            </button>
          </span>
        )}
      </div>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the table scrolls inside its box, and a keyboard can scroll only what it can focus (WCAG 2.1.1; axe's scrollable-region-focusable). */}
      <section style={{ maxHeight: 420, overflow: 'auto' }} tabIndex={0} aria-label={`${title}: events, scrollable`}>
        <table className="data-table user-events">
          <caption style={{ textAlign: 'left', fontSize: 13 }}>
            {title}: events in time order, times in {timeZone}, every column of the file
          </caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Time ({timeZone})</th>
              <th scope="col">Gap to previous</th>
              {cells.columns.map((c) => (
                <th key={c} scope="col" className="mono">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {events.map((e, i) => {
              const starts = sessionStarts.get(e.sessionNumber) === offset + i;
              const why = starts ? breaks.get(e.sessionNumber) : undefined;
              return (
                <Fragment key={e.rowNumber}>
                  {starts && (
                    <tr className="session-break" data-testid="session-break" data-session={e.sessionNumber} data-rules={why?.rules.join(',') ?? ''}>
                      <td colSpan={width}>
                        Session {e.sessionNumber} starts{why?.text ? `: ${why.text}` : ''}
                      </td>
                    </tr>
                  )}
                  <tr data-ts-us={e.tsUs} data-session={e.sessionNumber}>
                    <td>{offset + i + 1}</td>
                    <td className="mono">{formatZoned(e.tsUs, timeZone, true)}</td>
                    <td>{e.gapUs === null ? '(first event)' : formatDuration(e.gapUs / 1e6)}</td>
                    {(cells.values[i] ?? []).map((cell, c) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional, one per file column
                      <td key={c} className="mono cell">
                        {cell ?? ''}
                      </td>
                    ))}
                  </tr>
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </section>
    </div>
  );
}
