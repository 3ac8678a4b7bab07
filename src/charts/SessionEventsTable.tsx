import type { UserEventRow, UserSessionRow } from '../domain/types';
import { formatCount, formatDuration, formatInstantUs } from '../domain/format';
import { TIMELINE_EVENTS_PAGE } from '../domain/timeline-range';

export interface SessionEventsTableProps {
  session: UserSessionRow;
  /** One page (TIMELINE_EVENTS_PAGE rows at most) of the session's events from `offset`. */
  events: readonly UserEventRow[];
  offset: number;
  onPage: (offset: number) => void;
}

/** ISO 8601 UTC with the microseconds when there are any (events 1 µs apart differ). */
function isoMicros(us: number): string {
  const micros = ((us % 1000) + 1000) % 1000;
  const iso = formatInstantUs(us);
  if (micros === 0) return iso;
  return iso.includes('.') ? iso.replace('Z', `${String(micros).padStart(3, '0')}Z`) : iso.replace('Z', `.000${String(micros).padStart(3, '0')}Z`);
}

/** A session's events in order: time (ISO 8601 UTC), url, gap to the previous event; paged. */
export function SessionEventsTable({ session, events, offset, onPage }: SessionEventsTableProps) {
  const total = session.eventCount;
  const last = Math.min(total, offset + events.length);
  return (
    <div data-testid="timeline-events" data-session={session.sessionNumber} style={{ marginTop: 8 }}>
      <div style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap', fontSize: 14 }}>
        <strong>Session {session.sessionNumber}</strong>
        <span>
          {formatDuration((session.endUs - session.startUs) / 1e6)}, {formatCount(total)} events
          {session.gapBeforeUs !== null && `, ${formatDuration(session.gapBeforeUs / 1e6)} after the previous session`}
        </span>
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
      <div style={{ maxHeight: 360, overflow: 'auto' }}>
        <table className="data-table">
          <caption style={{ textAlign: 'left', fontSize: 13 }}>Events of session {session.sessionNumber}, in time order (UTC)</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Time (UTC)</th>
              <th scope="col">URL</th>
              <th scope="col">Gap to previous</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e, i) => (
              <tr key={e.rowNumber} data-ts-us={e.tsUs}>
                <td>{offset + i + 1}</td>
                <td className="mono">{isoMicros(e.tsUs)}</td>
                <td className="mono" style={{ wordBreak: 'break-all' }}>
                  {e.url ?? ''}
                </td>
                <td>{e.gapUs === null ? '(first event)' : formatDuration(e.gapUs / 1e6)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
