import { memo, type Dispatch, type KeyboardEvent, type PointerEvent, type SetStateAction } from 'react';
import type { TimeRange } from '../domain/timeline-range';
import { formatCount, formatDuration } from '../domain/format';
import { formatZoned } from '../domain/zoned-time';

/** One session of a lane (the stats worker's LaneBar). */
export interface LaneBarDatum {
  sessionNumber: number;
  startUs: number;
  endUs: number;
  events: number;
}

/** One user's lane: their exact counts and their first sessions. */
export interface LaneDatum {
  userId: string;
  events: number;
  sessions: number;
  bars: readonly LaneBarDatum[];
}

/** What the tooltip is about: sessions first..last (indexes into the lane's bars) of one lane. */
export interface Active {
  lane: number;
  first: number;
  last: number;
  /** A tap keeps the tooltip until the next tap; hover and focus until they end. */
  source: 'hover' | 'focus' | 'touch';
}

const WIDTH = 1000;
/** More sessions than this in a lane's window are drawn joined where they touch within a unit. */
const SINGLE_BARS = 400;

/** A tenth of a unit of the 1000-unit lane is below a pixel; shorter attribute values are quicker to set. */
const round = (x: number) => Math.round(x * 10) / 10;

interface Piece {
  first: number;
  last: number;
  x0: number;
  x1: number;
}

/** The lane's sessions in the window as shapes: one per session, or joined when there are too many to tell apart. */
function piecesOf(bars: readonly LaneBarDatum[], w: TimeRange): Piece[] {
  const span = w.toUs - w.fromUs;
  const x = (us: number) => ((us - w.fromUs) / span) * WIDTH;
  const pieces: Piece[] = [];
  const visible: number[] = [];
  bars.forEach((b, i) => {
    if (b.endUs >= w.fromUs && b.startUs <= w.toUs) visible.push(i);
  });
  const join = visible.length > SINGLE_BARS;
  for (const i of visible) {
    const b = bars[i] as LaneBarDatum;
    const x0 = Math.max(-1, x(b.startUs));
    const x1 = Math.min(WIDTH + 1, Math.max(x0 + 2, x(b.endUs)));
    const last = pieces[pieces.length - 1];
    if (join && last && x0 <= last.x1 + 1) {
      last.last = i;
      last.x1 = Math.max(last.x1, x1);
    } else pieces.push({ first: i, last: i, x0, x1 });
  }
  return pieces;
}

export interface TimelineLaneProps {
  lane: LaneDatum;
  /** The lane's place among the lanes. */
  index: number;
  /** The time window drawn. */
  fromUs: number;
  toUs: number;
  timeZone: string;
  idBase: string;
  /** The active session when it is this lane's, else null. */
  active: Active | null;
  setActive: Dispatch<SetStateAction<Active | null>>;
  onKey: (e: KeyboardEvent<HTMLDivElement>, lane: number) => void;
  onOpen: (userId: string, sessionNumber: number) => void;
}

/** Whether two lanes draw the same: a threshold change makes new lane objects, mostly with the same sessions. */
function sameLane(a: LaneDatum, b: LaneDatum): boolean {
  if (a === b) return true;
  if (a.userId !== b.userId || a.events !== b.events || a.sessions !== b.sessions || a.bars.length !== b.bars.length) return false;
  return a.bars.every((x, i) => {
    const y = b.bars[i] as LaneBarDatum;
    return x.sessionNumber === y.sessionNumber && x.startUs === y.startUs && x.endUs === y.endUs && x.events === y.events;
  });
}

/**
 * One user's lane: the label (opens the timeline) and the sessions, a listbox of them.
 * Rendered again only when its sessions, the window, the zone or its active session change,
 * not for every threshold change (its rects and labels are most of the lanes' cost).
 */
export const TimelineLane = memo(
  function TimelineLane({ lane, index: l, fromUs, toUs, timeZone, idBase, active, setActive, onKey, onOpen }: TimelineLaneProps) {
    const shown = { fromUs, toUs };
    const pieces = piecesOf(lane.bars, shown);
    const pct = (us: number) => ((us - fromUs) / (toUs - fromUs)) * 100;
    return (
      <div className="lane" data-testid="timeline-lane" data-user={lane.userId} data-sessions={String(lane.sessions)} data-events={String(lane.events)}>
        <button type="button" className="link-button lane-label" onClick={() => onOpen(lane.userId, 1)}>
          <span className="mono">{lane.userId}</span>{' '}
          <span className="hint">
            {formatCount(lane.sessions)} {lane.sessions === 1 ? 'session' : 'sessions'}
          </span>
        </button>
        <div
          className="lane-track"
          role="listbox"
          tabIndex={0}
          aria-activedescendant={active ? `${idBase}-${l}-${active.first}` : undefined}
          aria-label={`${lane.userId}: ${lane.sessions} sessions; arrow keys step through them, Enter opens the timeline`}
          onKeyDown={(e) => onKey(e, l)}
          onBlur={() => setActive((a) => (a?.source === 'focus' && a.lane === l ? null : a))}
        >
          {/* biome-ignore lint/a11y/noSvgWithoutTitle: a <title> would be the browser's own tooltip; the listbox above names the lane */}
          <svg viewBox={`0 0 ${WIDTH} 10`} preserveAspectRatio="none" width="100%" height="100%">
            {pieces.map((p) => {
              const on = active !== null && active.first >= p.first && active.first <= p.last;
              const first = lane.bars[p.first] as LaneBarDatum;
              return (
                <rect
                  key={p.first}
                  id={`${idBase}-${l}-${p.first}`}
                  role="option"
                  aria-selected={on}
                  aria-label={
                    p.first === p.last
                      ? `session ${first.sessionNumber}, ${formatZoned(first.startUs, timeZone)}, ${first.events} events`
                      : `sessions ${first.sessionNumber} to ${(lane.bars[p.last] as LaneBarDatum).sessionNumber}`
                  }
                  data-testid="lane-session"
                  data-session-number={p.first === p.last ? String(first.sessionNumber) : ''}
                  // What every session shares is styles.css's .lane-session: fewer attributes to set on
                  // the thousands of rects a threshold change adds or moves.
                  className={on ? 'lane-session lane-session-on' : 'lane-session'}
                  x={round(p.x0)}
                  y={1.5}
                  width={round(p.x1 - p.x0)}
                  height={7}
                  onPointerEnter={(e: PointerEvent) => {
                    if (e.pointerType === 'mouse') setActive({ lane: l, first: p.first, last: p.last, source: 'hover' });
                  }}
                  onPointerLeave={(e: PointerEvent) => {
                    if (e.pointerType === 'mouse') setActive((a) => (a?.source === 'hover' ? null : a));
                  }}
                  onPointerDown={(e: PointerEvent) => {
                    if (e.pointerType !== 'mouse') setActive({ lane: l, first: p.first, last: p.last, source: 'touch' });
                  }}
                  onClick={(e) => {
                    // A tap shows the tooltip (its button opens the timeline); a click opens it.
                    if ((e.nativeEvent as globalThis.PointerEvent).pointerType === 'mouse' && p.first === p.last) onOpen(lane.userId, first.sessionNumber);
                  }}
                />
              );
            })}
          </svg>
          {active && (
            <LaneTooltip
              lane={lane}
              active={active}
              leftPct={pct(lane.bars[active.first]?.startUs ?? fromUs)}
              timeZone={timeZone}
              onOpen={onOpen}
              onClose={() => setActive(null)}
            />
          )}
        </div>
      </div>
    );
  },
  (a, b) =>
    sameLane(a.lane, b.lane) &&
    a.index === b.index &&
    a.fromUs === b.fromUs &&
    a.toUs === b.toUs &&
    a.timeZone === b.timeZone &&
    a.idBase === b.idBase &&
    a.active === b.active &&
    a.setActive === b.setActive &&
    a.onKey === b.onKey &&
    a.onOpen === b.onOpen,
);

interface LaneTooltipProps {
  lane: LaneDatum;
  active: Active;
  leftPct: number;
  timeZone: string;
  onOpen: (userId: string, sessionNumber: number) => void;
  onClose: () => void;
}

function LaneTooltip({ lane, active, leftPct, timeZone, onOpen, onClose }: LaneTooltipProps) {
  const first = lane.bars[active.first];
  const last = lane.bars[active.last];
  if (!first || !last) return null;
  const clamped = Math.min(100, Math.max(0, leftPct));
  const many = active.last > active.first;
  return (
    <div className="lane-tooltip" role="tooltip" data-testid="lane-tooltip" style={{ left: `${clamped}%`, transform: `translateX(-${clamped}%)` }}>
      <strong className="mono">{lane.userId}</strong>
      {many ? (
        <>
          <div>
            Sessions {first.sessionNumber}–{last.sessionNumber} ({active.last - active.first + 1}, too close to draw apart: zoom in)
          </div>
          <div>
            {formatZoned(first.startUs, timeZone)} – {formatZoned(last.endUs, timeZone)}
          </div>
        </>
      ) : (
        <>
          <div>
            Session {first.sessionNumber} of {formatCount(lane.sessions)}: {formatCount(first.events)} events,{' '}
            {formatDuration((first.endUs - first.startUs) / 1e6)}
          </div>
          <div>
            {formatZoned(first.startUs, timeZone)} – {formatZoned(first.endUs, timeZone)}
          </div>
          <button type="button" className="link-button" onClick={() => onOpen(lane.userId, first.sessionNumber)}>
            Open this session in the timeline
          </button>
        </>
      )}
      {active.source === 'touch' && (
        <button type="button" className="link-button" onClick={onClose}>
          Close
        </button>
      )}
    </div>
  );
}
