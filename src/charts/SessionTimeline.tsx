import { memo, useId } from 'react';
import { ComposedChart, XAxis, YAxis, usePlotArea, useXAxisScale } from 'recharts';
import type { EventMarkRow, UserEventRow, UserSessionRow, UserSummaryRow } from '../domain/types';
import { formatCount, formatDuration, formatInstantUs } from '../domain/format';
import { ChartFrame, PALETTE } from './chart-common';
import { SessionEventsTable } from './SessionEventsTable';
import { TIMELINE_COLUMNS, type TimeRange } from '../domain/timeline-range';

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
  /** userEventsSql's page of the zoomed session's events, from `eventsOffset`. */
  events: readonly UserEventRow[];
  eventsOffset: number;
  onEventsPage: (offset: number) => void;
  loading?: boolean;
}

const shortInstant = (us: number, spanUs: number) => {
  const iso = formatInstantUs(us);
  return spanUs > 3 * 86_400e6 ? iso.slice(0, 10) : spanUs > 3600e6 ? iso.slice(5, 16).replace('T', ' ') : iso.slice(11, 19);
};

const TICK_STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800];

/** Round UTC instants (multiples of 1 s … 1 week) across the range, at most about 6. */
function timeTicks({ fromUs, toUs }: TimeRange): number[] {
  const span = toUs - fromUs;
  const step = (TICK_STEPS_S.find((s) => span / (s * 1e6) <= 6) ?? 604_800 * Math.ceil(span / 6 / 604_800e6)) * 1e6;
  const ticks: number[] = [];
  for (let t = Math.ceil(fromUs / step) * step; t <= toUs; t += step) ticks.push(t);
  return ticks;
}

interface LayerProps {
  sessions: readonly UserSessionRow[];
  marks: readonly EventMarkRow[];
  selected: number | null;
  onSelect: (n: number) => void;
}

/** Session bars, gap labels and event marks, drawn with the chart's own x scale. */
function TimelineLayer({ sessions, marks, selected, onSelect }: LayerProps) {
  const x = useXAxisScale();
  const plot = usePlotArea();
  if (!x || !plot) return null;
  const px = (us: number) => x(us) ?? 0;
  const barY = plot.y + plot.height * 0.3;
  const barH = plot.height * 0.3;
  const maxEvents = Math.max(1, ...marks.map((m) => m.events));
  const visible = sessions.filter((s) => px(s.endUs) >= plot.x && px(s.startUs) <= plot.x + plot.width);
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
            {/* biome-ignore lint/a11y/useSemanticElements: an SVG shape cannot be a <button>; keyboard users zoom with the "Zoom to" list */}
            <rect
              role="button"
              tabIndex={-1}
              aria-label={`Zoom to session ${s.sessionNumber}`}
              onClick={() => onSelect(s.sessionNumber)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') onSelect(s.sessionNumber);
              }}
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
            >
              <title>
                {`Session ${s.sessionNumber}: ${formatInstantUs(s.startUs)} – ${formatInstantUs(s.endUs)} (${formatDuration((s.endUs - s.startUs) / 1e6)}), ${s.eventCount} events, entry ${s.firstUrl ?? '(no url)'}, exit ${s.lastUrl ?? '(no url)'}${s.gapBeforeUs === null ? '' : `, ${formatDuration(s.gapBeforeUs / 1e6)} after the previous session`}`}
              </title>
            </rect>
          </g>
        );
      })}
      {marks.map((m) => {
        const mx = px((m.firstUs + m.lastUs) / 2);
        const h = 6 + (plot.height * 0.25 - 6) * (Math.log1p(m.events) / Math.log1p(maxEvents));
        return (
          <line key={m.column} x1={mx} x2={mx} y1={barY + barH + 4} y2={barY + barH + 4 + h} stroke={PALETTE.ink} strokeWidth={1.5}>
            <title>
              {m.events === 1
                ? `${formatInstantUs(m.firstUs)} ${m.firstUrl ?? '(no url)'}`
                : `${m.events} events ${formatInstantUs(m.firstUs)} – ${formatInstantUs(m.lastUs)}, first ${m.firstUrl ?? '(no url)'}`}
            </title>
          </line>
        );
      })}
    </g>
  );
}

/**
 * One user's sessions as bars on a UTC time axis, events as marks beneath (one mark per
 * 1/TIMELINE_COLUMNS of the axis, height by event count, so a user with a million events
 * costs no more than one with a hundred), gaps between sessions labelled. Clicking a bar
 * or choosing it in the list zooms to that session and lists its events.
 */
export const SessionTimeline = memo(function SessionTimeline(props: SessionTimelineProps) {
  const { userId, summary, sessions, marks, range, selected, onSelect, events, eventsOffset, onEventsPage, loading = false } = props;
  const selectId = useId();
  const session = sessions.find((s) => s.sessionNumber === selected) ?? null;
  const span = range ? range.toUs - range.fromUs : 0;
  const aggregated = marks.some((m) => m.events > 1);
  const ready = userId !== null && summary !== null && range !== null;
  return (
    <ChartFrame
      testId="timeline"
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
          ? `${formatCount(summary.events)} events in ${formatCount(summary.sessions)} sessions, ${formatInstantUs(summary.firstUs)} to ${formatInstantUs(summary.lastUs)} (UTC).${sessions.length < summary.sessions ? ` The first ${formatCount(sessions.length)} sessions are drawn.` : ''}${aggregated ? ` Events are grouped into ${TIMELINE_COLUMNS} time slices; a taller mark holds more events.` : ''}`
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
                  {`session ${s.sessionNumber} (${s.eventCount} events, ${formatInstantUs(s.startUs)})`}
                </option>
              ))}
            </select>
            {selected !== null && (
              <button type="button" onClick={() => onSelect(null)}>
                Show all sessions
              </button>
            )}
          </span>
        )
      }
    >
      {range && (
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
            tickFormatter={(v: number) => shortInstant(v, span)}
            ticks={timeTicks(range)}
            interval="preserveStartEnd"
            minTickGap={4}
          />
          <YAxis hide domain={[0, 1]} />
          <TimelineLayer sessions={sessions} marks={marks} selected={selected} onSelect={onSelect} />
        </ComposedChart>
      )}
      {session && <SessionEventsTable session={session} events={events} offset={eventsOffset} onPage={onEventsPage} />}
    </ChartFrame>
  );
});
