import { memo, useId, useMemo, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { TimeRange } from '../domain/timeline-range';
import { formatCount, formatDuration } from '../domain/format';
import { formatZoned, zonedTickLabel, zonedTicks } from '../domain/zoned-time';
import { PALETTE } from './chart-common';
import { clampWindow, LanesOverview } from './LanesOverview';

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

export interface TimelineLanesProps {
  lanes: readonly LaneDatum[];
  /** Sessions drawn per lane at most. */
  maxBars: number;
  /** The IANA zone times are shown in. */
  timeZone: string;
  loading: boolean;
  /** Opens the user's own timeline at that session. */
  onOpen: (userId: string, sessionNumber: number) => void;
}

const WIDTH = 1000;
/** More sessions than this in a lane's window are drawn joined where they touch within a unit. */
const SINGLE_BARS = 400;

/** What the tooltip is about: sessions first..last (indexes into the lane's bars) of one lane. */
interface Active {
  lane: number;
  first: number;
  last: number;
  /** A tap keeps the tooltip until the next tap; hover and focus until they end. */
  source: 'hover' | 'focus' | 'touch';
}

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

function domainOf(lanes: readonly LaneDatum[]): TimeRange | null {
  let from = Infinity;
  let to = -Infinity;
  for (const lane of lanes)
    for (const b of lane.bars) {
      if (b.startUs < from) from = b.startUs;
      if (b.endUs > to) to = b.endUs;
    }
  if (from > to) return null;
  const margin = Math.max(60e6, (to - from) * 0.02);
  return { fromUs: from - margin, toUs: to + margin };
}

/**
 * Many users' sessions on one time axis, a lane a user, in the display zone; an overview
 * strip with a brush zooms and pans; previous/next step through the sessions in time order.
 * Tooltips are the page's own (hover, keyboard focus, a tap), not the browser's.
 */
export const TimelineLanes = memo(function TimelineLanes({ lanes, maxBars, timeZone, loading, onOpen }: TimelineLanesProps) {
  const domain = useMemo(() => domainOf(lanes), [lanes]);
  const [zoom, setZoom] = useState<TimeRange | null>(null);
  const [active, setActive] = useState<Active | null>(null);
  // The window survives new lanes (a threshold change) as far as it still lies in their span.
  const window = domain && zoom ? clampWindow(domain, zoom.fromUs, zoom.toUs) : null;
  const shown = window ?? domain;
  const current = active && lanes[active.lane]?.bars[active.first] ? active : null;
  const idBase = useId();
  const overviewLanes = useMemo(() => lanes.map((lane) => ({ key: lane.userId, bars: lane.bars })), [lanes]);

  // The axis depends on the window alone, which a threshold change seldom moves (its local midnights cost Intl calls).
  const fromUs = shown?.fromUs ?? 0;
  const toUs = shown?.toUs ?? 0;
  const ticks = useMemo(() => zonedTicks(fromUs, toUs, timeZone), [fromUs, toUs, timeZone]);

  if (!domain || !shown) return <p className="hint">No sessions to draw.</p>;
  const span = shown.toUs - shown.fromUs;
  const pct = (us: number) => ((us - shown.fromUs) / span) * 100;

  /** Makes a session the active one, panning the window to it when it lies outside. */
  const focusSession = (lane: number, bar: number, source: Active['source']) => {
    const b = lanes[lane]?.bars[bar];
    if (!b) return;
    setActive({ lane, first: bar, last: bar, source });
    if (window && (b.startUs < window.fromUs || b.endUs > window.toUs)) {
      const width = window.toUs - window.fromUs;
      setZoom(clampWindow(domain, b.startUs - width / 3, b.startUs + (2 * width) / 3));
    }
  };
  const step = (direction: 1 | -1) => {
    // Every drawn session in time order: made on a step only, as new lanes come with every threshold change.
    const order = lanes
      .flatMap((lane, l) => lane.bars.map((b, i) => ({ lane: l, bar: i, startUs: b.startUs })))
      .sort((a, b) => a.startUs - b.startUs || a.lane - b.lane);
    const at = current ? order.findIndex((o) => o.lane === current.lane && o.bar === current.first) : -1;
    const next =
      at >= 0
        ? order[at + direction]
        : direction === 1
          ? order.find((o) => o.startUs >= shown.fromUs)
          : [...order].reverse().find((o) => o.startUs <= shown.toUs);
    if (next) focusSession(next.lane, next.bar, 'focus');
  };
  const onLaneKey = (e: KeyboardEvent<HTMLDivElement>, l: number) => {
    const lane = lanes[l];
    if (!lane) return;
    const at = current?.lane === l ? current.first : -1;
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      const bar = e.key === 'ArrowRight' ? Math.min(lane.bars.length - 1, at + 1) : Math.max(0, at < 0 ? lane.bars.length - 1 : at - 1);
      focusSession(l, bar, 'focus');
    } else if (e.key === 'Enter' && current?.lane === l) {
      const b = lane.bars[current.first];
      if (b) onOpen(lane.userId, b.sessionNumber);
    } else if (e.key === 'Escape') setActive(null);
  };

  return (
    <div data-testid="timeline-lanes" data-lanes={String(lanes.length)} className="lanes" aria-busy={loading}>
      <div className="lanes-toolbar">
        <button type="button" data-testid="lanes-prev" onClick={() => step(-1)}>
          ◀ Previous session
        </button>
        <button type="button" data-testid="lanes-next" onClick={() => step(1)}>
          Next session ▶
        </button>
        <button type="button" onClick={() => setZoom(clampWindow(domain, shown.fromUs + span / 4, shown.toUs - span / 4))}>
          Zoom in
        </button>
        <button type="button" disabled={!window} onClick={() => setZoom(clampWindow(domain, shown.fromUs - span / 2, shown.toUs + span / 2))}>
          Zoom out
        </button>
        <button type="button" disabled={!window} onClick={() => setZoom(null)}>
          Show everything
        </button>
        <span className="hint">
          {formatZoned(shown.fromUs, timeZone)} – {formatZoned(shown.toUs, timeZone)}
        </span>
      </div>
      <div className="lanes-grid">
        {lanes.map((lane, l) => {
          const pieces = piecesOf(lane.bars, shown);
          return (
            <div
              key={lane.userId}
              className="lane"
              data-testid="timeline-lane"
              data-user={lane.userId}
              data-sessions={String(lane.sessions)}
              data-events={String(lane.events)}
            >
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
                aria-activedescendant={current?.lane === l ? `${idBase}-${l}-${current.first}` : undefined}
                aria-label={`${lane.userId}: ${lane.sessions} sessions; arrow keys step through them, Enter opens the timeline`}
                onKeyDown={(e) => onLaneKey(e, l)}
                onBlur={() => setActive((a) => (a?.source === 'focus' && a.lane === l ? null : a))}
              >
                {/* biome-ignore lint/a11y/noSvgWithoutTitle: a <title> would be the browser's own tooltip; the listbox above names the lane */}
                <svg viewBox={`0 0 ${WIDTH} 10`} preserveAspectRatio="none" width="100%" height="100%">
                  {pieces.map((p) => {
                    const on = current?.lane === l && current.first >= p.first && current.first <= p.last;
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
                        x={p.x0}
                        y={1.5}
                        width={p.x1 - p.x0}
                        height={7}
                        fill={PALETTE.within}
                        fillOpacity={on ? 1 : 0.7}
                        stroke={on ? PALETTE.accent : 'none'}
                        strokeWidth={2}
                        vectorEffect="non-scaling-stroke"
                        style={{ cursor: 'pointer' }}
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
                          if ((e.nativeEvent as globalThis.PointerEvent).pointerType === 'mouse' && p.first === p.last)
                            onOpen(lane.userId, first.sessionNumber);
                        }}
                      />
                    );
                  })}
                </svg>
                {current?.lane === l && (
                  <LaneTooltip
                    lane={lane}
                    active={current}
                    leftPct={pct(lane.bars[current.first]?.startUs ?? shown.fromUs)}
                    timeZone={timeZone}
                    onOpen={onOpen}
                    onClose={() => setActive(null)}
                  />
                )}
              </div>
            </div>
          );
        })}
        <div className="lane lane-axis" aria-hidden="true">
          <span />
          <div className="lane-ticks">
            {ticks.map((t) => (
              // A label near an edge is aligned to it, so it stays whole inside the axis.
              <span key={t} className="lane-tick" style={{ left: `${pct(t)}%`, transform: `translateX(${pct(t) > 85 ? -100 : pct(t) < 15 ? 0 : -50}%)` }}>
                {zonedTickLabel(t, span, timeZone)}
              </span>
            ))}
          </div>
        </div>
      </div>
      <LanesOverview lanes={overviewLanes} domain={domain} window={window} onWindow={setZoom} />
      <p className="hint">
        Times in {timeZone}. Drag across the strip above to zoom, drag the window to pan.
        {lanes.some((lane) => lane.sessions > lane.bars.length) ? ` Lanes draw their first ${formatCount(maxBars)} sessions.` : ''}
      </p>
    </div>
  );
});

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
