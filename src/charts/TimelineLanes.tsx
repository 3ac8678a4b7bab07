import { memo, useCallback, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { TimeRange } from '../domain/timeline-range';
import { formatCount } from '../domain/format';
import { formatZoned, zonedTickLabel, zonedTicks } from '../domain/zoned-time';
import { clampWindow, LanesOverview } from './LanesOverview';
import { TimelineLane, type Active, type LaneDatum } from './TimelineLane';

export type { LaneBarDatum, LaneDatum } from './TimelineLane';

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

  // Each lane is memoised: its handlers stay the same function across renders and call the latest render's.
  const latest = useRef({ onLaneKey: (_e: KeyboardEvent<HTMLDivElement>, _l: number) => {}, onOpen });
  const onKey = useCallback((e: KeyboardEvent<HTMLDivElement>, l: number) => latest.current.onLaneKey(e, l), []);
  const openStable = useCallback((userId: string, n: number) => latest.current.onOpen(userId, n), []);

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
  latest.current = { onLaneKey, onOpen };

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
        {lanes.map((lane, l) => (
          <TimelineLane
            key={lane.userId}
            lane={lane}
            index={l}
            fromUs={shown.fromUs}
            toUs={shown.toUs}
            timeZone={timeZone}
            idBase={idBase}
            active={current?.lane === l ? current : null}
            setActive={setActive}
            onKey={onKey}
            onOpen={openStable}
          />
        ))}
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
