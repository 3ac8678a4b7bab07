import { memo, useCallback, useId, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { ComposedChart, XAxis, YAxis, usePlotArea, useXAxisScale } from 'recharts';
import type { EventMarkRow, UserEventRow, UserSessionRow, UserSummaryRow } from '../domain/types';
import { formatCount, formatDuration } from '../domain/format';
import { ChartFrame, PALETTE } from './chart-common';
import { SessionEventsTable } from './SessionEventsTable';
import { TIMELINE_COLUMNS, type TimeRange } from '../domain/timeline-range';
import type { SessionBreak } from '../domain/session-breaks';
import { formatZoned, zonedTickLabel, zonedTicks } from '../domain/zoned-time';

export interface SessionTimelineProps {
  /** The user shown, or null before one is picked. */
  userId: string | null;
  /** userSummarySql's row: exact event and session counts (data-sessions). */
  summary: UserSummaryRow | null;
  /** userTimelineSql's rows (possibly only the first ones: the chart says so). */
  sessions: readonly UserSessionRow[];
  /** userEventMarksSql's rows for `range` with TIMELINE_COLUMNS columns. */
  marks: readonly EventMarkRow[];
  /** timelineRange(summary, sessions, selected): the range the marks were computed for. */
  range: TimeRange | null;
  /** The zoomed session's number, or null for all sessions. */
  selected: number | null;
  onSelect: (sessionNumber: number | null) => void;
  /** userEventsSql's page of events (the zoomed session's, else all of the user's), from `eventsOffset`. */
  events: readonly UserEventRow[];
  /** Every file column of those events, aligned with them. */
  cells: { columns: readonly string[]; values: readonly (readonly (string | null)[])[] };
  /** Why each session starts (session-breaks.ts), by session number. */
  breaks: ReadonlyMap<number, SessionBreak>;
  eventsOffset: number;
  onEventsPage: (offset: number) => void;
  /** The IANA zone times are shown in. */
  timeZone: string;
  /** The chart's data-testid: `timeline`, or another for a second user beside it. */
  testId?: string;
  loading?: boolean;
}

interface LayerProps {
  sessions: readonly UserSessionRow[];
  marks: readonly EventMarkRow[];
  selected: number | null;
  onSelect: (n: number) => void;
  breaks: ReadonlyMap<number, SessionBreak>;
  timeZone: string;
  /** Shows the page's tooltip at a point of the chart (null hides a hover's or a focus's). */
  onTip: (tip: Tip | null) => void;
}

/** The page's own tooltip over the chart: on hover, keyboard focus, or a tap (kept until the next). */
interface Tip {
  x: number;
  y: number;
  lines: string[];
  source: 'hover' | 'focus' | 'touch';
}

/** Bars reachable with Tab when at most this many are drawn (more: the "Zoom to" list and previous/next serve the keyboard). */
const FOCUSABLE_BARS = 60;

/** Pointer handlers that show `lines` as the tooltip at (x, y): hover for a mouse, a tap for touch and pens. */
function tipHandlers(onTip: (tip: Tip | null) => void, x: number, y: number, lines: string[]) {
  return {
    onPointerEnter: (e: ReactPointerEvent) => {
      if (e.pointerType === 'mouse') onTip({ x, y, lines, source: 'hover' });
    },
    onPointerLeave: (e: ReactPointerEvent) => {
      if (e.pointerType === 'mouse') onTip(null);
    },
    onPointerDown: (e: ReactPointerEvent) => {
      if (e.pointerType !== 'mouse') onTip({ x, y, lines, source: 'touch' });
    },
  };
}

/** Session bars, gap labels and event marks, drawn with the chart's own x scale. */
function TimelineLayer({ sessions, marks, selected, onSelect, breaks, timeZone, onTip }: LayerProps) {
  const at = (us: number) => formatZoned(us, timeZone);
  const x = useXAxisScale();
  const plot = usePlotArea();
  if (!x || !plot) return null;
  const px = (us: number) => x(us) ?? 0;
  const barY = plot.y + plot.height * 0.3;
  const barH = plot.height * 0.3;
  const maxEvents = Math.max(1, ...marks.map((m) => m.events));
  const visible = sessions.filter((s) => px(s.endUs) >= plot.x && px(s.startUs) <= plot.x + plot.width);
  const sessionLines = (s: UserSessionRow) => [
    `Session ${s.sessionNumber}: ${formatDuration((s.endUs - s.startUs) / 1e6)}, ${s.eventCount} events`,
    `${at(s.startUs)} – ${at(s.endUs)}`,
    `entry ${s.firstUrl ?? '(no url)'}, exit ${s.lastUrl ?? '(no url)'}`,
    `starts: ${breaks.get(s.sessionNumber)?.text ?? ''}${s.gapBeforeUs === null ? '' : ` (${formatDuration(s.gapBeforeUs / 1e6)} after the previous session)`}`,
  ];
  return (
    <g>
      {visible.map((s, i) => {
        const left = px(s.startUs);
        const width = Math.max(3, px(s.endUs) - left);
        const previous = visible[i - 1];
        const gapRoom = previous ? left - px(previous.endUs) : 0;
        return (
          <g key={s.sessionNumber}>
            {previous && s.gapBeforeUs !== null && gapRoom > 56 && (
              <text x={left - gapRoom / 2} y={barY - 6} textAnchor="middle" fontSize={11} fill={PALETTE.breaks}>
                {formatDuration(s.gapBeforeUs / 1e6)}
              </text>
            )}
            {/* biome-ignore lint/a11y/useSemanticElements: an SVG shape cannot be a <button>; it is focusable (when few are drawn) and zooms on Enter like one */}
            <rect
              role="button"
              tabIndex={visible.length <= FOCUSABLE_BARS ? 0 : -1}
              aria-label={`Session ${s.sessionNumber}, ${at(s.startUs)}, ${s.eventCount} events: zoom to it`}
              onClick={() => onSelect(s.sessionNumber)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') onSelect(s.sessionNumber);
              }}
              onFocus={() => onTip({ x: left + width / 2, y: barY + barH, lines: sessionLines(s), source: 'focus' })}
              onBlur={() => onTip(null)}
              {...tipHandlers(onTip, left + width / 2, barY + barH, sessionLines(s))}
              x={left}
              y={barY}
              width={width}
              height={barH}
              rx={2}
              fill={PALETTE.within}
              fillOpacity={selected === s.sessionNumber ? 1 : 0.75}
              style={{ cursor: 'zoom-in' }}
              stroke={selected === s.sessionNumber ? PALETTE.accent : 'none'}
              strokeWidth={2}
            />
          </g>
        );
      })}
      {marks.map((m) => {
        const mx = px((m.firstUs + m.lastUs) / 2);
        const h = 6 + (plot.height * 0.25 - 6) * (Math.log1p(m.events) / Math.log1p(maxEvents));
        return (
          <line
            key={m.column}
            x1={mx}
            x2={mx}
            y1={barY + barH + 4}
            y2={barY + barH + 4 + h}
            stroke={PALETTE.ink}
            strokeWidth={1.5}
            {...tipHandlers(onTip, mx, barY + barH + 4 + h, [
              m.events === 1 ? at(m.firstUs) : `${m.events} events ${at(m.firstUs)} – ${at(m.lastUs)}`,
              `${m.events === 1 ? '' : 'first '}${m.firstUrl ?? '(no url)'}`,
            ])}
          />
        );
      })}
    </g>
  );
}

/** Each session's first event's index among the user's events (sessions in order from 1). */
function firstEventIndexes(sessions: readonly UserSessionRow[]): Map<number, number> {
  const starts = new Map<number, number>();
  let at = 0;
  for (const s of sessions) {
    starts.set(s.sessionNumber, at);
    at += s.eventCount;
  }
  return starts;
}

/**
 * One user's sessions as bars on a UTC time axis, events as marks beneath (one mark per
 * 1/TIMELINE_COLUMNS of the axis, height by event count, so a user with a million events
 * costs no more than one with a hundred), gaps between sessions labelled. Clicking a bar
 * or choosing it in the list zooms to that session and lists its events.
 */
export const SessionTimeline = memo(function SessionTimeline(props: SessionTimelineProps) {
  const {
    userId,
    summary,
    sessions,
    marks,
    range,
    selected,
    onSelect,
    events,
    cells,
    breaks,
    eventsOffset,
    onEventsPage,
    timeZone,
    testId = 'timeline',
    loading = false,
  } = props;
  const selectId = useId();
  const session = sessions.find((s) => s.sessionNumber === selected) ?? null;
  const span = range ? range.toUs - range.fromUs : 0;
  const aggregated = marks.some((m) => m.events > 1);
  const ready = userId !== null && summary !== null && range !== null;
  const [tip, setTip] = useState<Tip | null>(null);
  // A tap's tooltip stays until another tap or Close; a hover's or a focus's leaves with them.
  const showTip = useCallback((next: Tip | null) => setTip((now) => (next === null && now?.source === 'touch' ? now : next)), []);
  return (
    <ChartFrame
      testId={testId}
      title={userId === null ? 'User timeline' : `Sessions of ${userId}`}
      loading={loading}
      data={{
        'data-user': userId ?? '',
        'data-sessions': summary ? String(summary.sessions) : '',
        'data-selected-session': selected === null ? '' : String(selected),
      }}
      empty={ready ? null : 'Search for a user by id, or pick one from the most active users.'}
      summary={
        summary
          ? `${formatCount(summary.events)} events in ${formatCount(summary.sessions)} sessions, ${formatZoned(summary.firstUs, timeZone)} to ${formatZoned(summary.lastUs, timeZone)}.${sessions.length < summary.sessions ? ` The first ${formatCount(sessions.length)} sessions are drawn.` : ''}${aggregated ? ` Events are grouped into ${TIMELINE_COLUMNS} time slices; a taller mark holds more events.` : ''}`
          : ''
      }
      controls={
        ready && (
          <span style={{ display: 'flex', gap: 8, alignItems: 'center', fontSize: 14 }}>
            <label htmlFor={selectId}>Zoom to</label>
            <select
              id={selectId}
              style={{ maxWidth: 320 }}
              value={selected ?? ''}
              onChange={(e) => onSelect(e.target.value === '' ? null : Number(e.target.value))}
            >
              <option value="">all sessions</option>
              {sessions.map((s) => (
                <option key={s.sessionNumber} value={s.sessionNumber}>
                  {`session ${s.sessionNumber} (${s.eventCount} events, ${formatZoned(s.startUs, timeZone)})`}
                </option>
              ))}
            </select>
            {selected !== null && (
              <>
                <button type="button" data-testid="timeline-prev" disabled={selected <= 1} onClick={() => onSelect(selected - 1)}>
                  ◀ Previous
                </button>
                <button
                  type="button"
                  data-testid="timeline-next"
                  disabled={summary !== null && selected >= summary.sessions}
                  onClick={() => onSelect(selected + 1)}
                >
                  Next ▶
                </button>
                <button type="button" onClick={() => onSelect(null)}>
                  Show all sessions
                </button>
              </>
            )}
          </span>
        )
      }
    >
      {range && (
        <div style={{ position: 'relative' }}>
          <ComposedChart
            responsive
            width="100%"
            height={170}
            data={[{ t: range.fromUs }, { t: range.toUs }]}
            margin={{ top: 12, right: 16, bottom: 4, left: 16 }}
            accessibilityLayer={false}
            title={`Timeline of ${userId ?? ''}`}
            desc="Sessions as bars on a time axis, events as marks below them"
          >
            <XAxis
              type="number"
              dataKey="t"
              domain={[range.fromUs, range.toUs]}
              allowDataOverflow
              fontSize={11}
              tickFormatter={(v: number) => zonedTickLabel(v, span, timeZone)}
              ticks={zonedTicks(range.fromUs, range.toUs, timeZone)}
              interval="preserveStartEnd"
              minTickGap={4}
            />
            <YAxis hide domain={[0, 1]} />
            <TimelineLayer sessions={sessions} marks={marks} selected={selected} onSelect={onSelect} breaks={breaks} timeZone={timeZone} onTip={showTip} />
          </ComposedChart>
          {tip && (
            <div className="lane-tooltip" role="tooltip" data-testid="timeline-tooltip" style={{ left: tip.x, top: tip.y, transform: 'translateX(-50%)' }}>
              {tip.lines.map((line) => (
                <div key={line}>{line}</div>
              ))}
              {tip.source === 'touch' && (
                <button type="button" className="link-button" onClick={() => setTip(null)}>
                  Close
                </button>
              )}
            </div>
          )}
        </div>
      )}
      {ready && (
        <SessionEventsTable
          title={session ? `Session ${session.sessionNumber}` : 'All sessions'}
          sessionNumber={session ? session.sessionNumber : null}
          total={session ? session.eventCount : summary.events}
          events={events}
          cells={cells}
          breaks={breaks}
          sessionStarts={session ? new Map([[session.sessionNumber, 0]]) : firstEventIndexes(sessions)}
          offset={eventsOffset}
          onPage={onEventsPage}
          timeZone={timeZone}
        />
      )}
    </ChartFrame>
  );
});
