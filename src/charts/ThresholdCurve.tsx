import { memo, useState, type KeyboardEvent } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts';
import type { ThresholdCurveRow } from '../domain/types';
import { formatCount, formatDuration, formatMinutes } from '../domain/format';
import { MAX_GAP_MINUTES, MIN_GAP_MINUTES } from '../domain/threshold';
import type { FlatRange } from '../domain/suggest-threshold';
import { SuggestionMark } from './SuggestionMark';
import {
  ChartFrame,
  PALETTE,
  ThresholdMark,
  TOOLTIP_STYLE,
  tooltipDatum,
  useThresholdPointer,
  VISUALLY_HIDDEN,
  X_AXIS_HEIGHT,
  type PlotInset,
} from './chart-common';

export interface ThresholdCurveProps {
  /** thresholdCurveSql's rows, in threshold order. */
  points: readonly ThresholdCurveRow[];
  thresholdMinutes: number;
  /** Sessions at the current threshold, exact (the stat-sessions figure). */
  currentSessions: number;
  onPick: (minutes: number) => void;
  loading?: boolean;
  /** The suggested threshold and the curve's flat range around it, marked on the chart; null when there is none. */
  suggestion?: { minutes: number; flatRange: FlatRange | null } | null;
}

const X_TICKS = new Map([
  [0.1, '6 s'],
  [1, '1 min'],
  [10, '10 min'],
  [60, '1 h'],
  [600, '10 h'],
  [1440, '1 d'],
  [10080, '7 d'],
]);
const xLabel = (m: number) => X_TICKS.get(m) ?? '';
/** Short duration for a log axis tick: one unit, rounded. */
function shortDuration(seconds: number): string {
  const units: [number, string][] = [
    [86_400, 'd'],
    [3600, 'h'],
    [60, 'min'],
    [1, 's'],
  ];
  const [size, unit] = units.find(([u]) => seconds >= u) ?? [1, 's'];
  return `${Number((seconds / size).toPrecision(2))} ${unit}`;
}

function CurveTooltip(props: TooltipContentProps) {
  const p = tooltipDatum<ThresholdCurveRow>(props);
  if (!p) return null;
  return (
    <div style={TOOLTIP_STYLE}>
      <div>Threshold {formatMinutes(p.thresholdMinutes)}</div>
      <div>
        <strong>{formatCount(p.sessions)}</strong> sessions, mean {formatDuration(p.meanDurationSeconds)}
      </div>
      <div>Click or drag to set the threshold</div>
    </div>
  );
}

/** A point's threshold in minutes without the float noise of µs / 60e6 (0.30000000000000004). */
const pickMinutes = (p: ThresholdCurveRow) => Number(p.thresholdMinutes.toPrecision(12));

/** Mean durations on a log axis: a mean of 0 (only single-event sessions) is left out. */
const positiveDuration = (p: ThresholdCurveRow) => (p.meanDurationSeconds > 0 ? p.meanDurationSeconds : null);

const ROUND_DURATIONS_S = [0.1, 1, 10, 60, 600, 3600, 36_000, 86_400, 604_800, 2_592_000];
function durationTicks(points: readonly ThresholdCurveRow[]): number[] {
  const values = points.map((p) => p.meanDurationSeconds).filter((v) => v > 0);
  const [low, high] = [Math.min(...values), Math.max(...values)];
  return ROUND_DURATIONS_S.filter((t) => t >= low && t <= high);
}

/** Index of the point nearest `minutes` on the log axis. */
function nearestIndex(points: readonly ThresholdCurveRow[], minutes: number): number {
  let best = 0;
  points.forEach((p, i) => {
    const d = Math.abs(Math.log(p.thresholdMinutes / minutes));
    if (d < Math.abs(Math.log((points[best]?.thresholdMinutes ?? 1) / minutes))) best = i;
  });
  return best;
}

const MARGIN = { top: 16, right: 8, bottom: 8, left: 8 };
const SESSIONS_AXIS_WIDTH = 56;
const DURATION_AXIS_WIDTH = 64;
const INSET: PlotInset = {
  left: MARGIN.left + SESSIONS_AXIS_WIDTH,
  right: MARGIN.right + DURATION_AXIS_WIDTH,
  top: MARGIN.top,
  bottom: MARGIN.bottom + X_AXIS_HEIGHT,
};
const LOG_RANGE = Math.log(MAX_GAP_MINUTES / MIN_GAP_MINUTES);
const fractionOfMinutes = (minutes: number) => Math.log(minutes / MIN_GAP_MINUTES) / LOG_RANGE;
/** A fraction of the plot's width as minutes on the log threshold axis. */
const curveMinutes = (fraction: number) => MIN_GAP_MINUTES * Math.exp(fraction * LOG_RANGE);

interface CurveChartProps {
  points: readonly ThresholdCurveRow[];
  /** The keyboard cursor's threshold, or null. */
  cursorMinutes: number | null;
}

/**
 * The curve and its axes, which depend on the points alone (and the keyboard cursor): a
 * threshold change moves the HTML line over it and does not render this SVG again.
 */
const CurveChart = memo(function CurveChart({ points, cursorMinutes }: CurveChartProps) {
  return (
    <LineChart responsive width="100%" height={260} data={[...points]} accessibilityLayer={false} margin={MARGIN}>
      <CartesianGrid stroke={PALETTE.grid} />
      <XAxis
        type="number"
        dataKey="thresholdMinutes"
        scale="log"
        domain={[MIN_GAP_MINUTES, MAX_GAP_MINUTES]}
        height={X_AXIS_HEIGHT}
        ticks={[...X_TICKS.keys()]}
        tickFormatter={xLabel}
        allowDataOverflow
        fontSize={12}
      />
      <YAxis yAxisId="sessions" width={SESSIONS_AXIS_WIDTH} fontSize={12} tickFormatter={(v: number) => formatCount(v)} stroke={PALETTE.within} />
      <YAxis
        yAxisId="duration"
        orientation="right"
        width={DURATION_AXIS_WIDTH}
        fontSize={12}
        scale="log"
        domain={['auto', 'auto']}
        ticks={durationTicks(points)}
        tickFormatter={shortDuration}
        stroke={PALETTE.second}
      />
      <Tooltip content={CurveTooltip} isAnimationActive={false} />
      <Line yAxisId="sessions" dataKey="sessions" name="Sessions" stroke={PALETTE.within} strokeWidth={2} dot={false} isAnimationActive={false} />
      <Line
        yAxisId="duration"
        dataKey={positiveDuration}
        name="Mean session duration"
        stroke={PALETTE.second}
        strokeWidth={2}
        strokeDasharray="6 3"
        dot={false}
        isAnimationActive={false}
      />
      {cursorMinutes !== null && <ReferenceLine yAxisId="sessions" x={cursorMinutes} stroke={PALETTE.accent} strokeWidth={2} strokeDasharray="3 3" />}
    </LineChart>
  );
});

/**
 * Sessions (and mean session duration) for every threshold of the slider's range, with
 * the current threshold marked. Clicking picks the threshold under the pointer; from the
 * keyboard, arrows move a cursor along the curve and Enter picks it.
 */
export const ThresholdCurve = memo(function ThresholdCurve(props: ThresholdCurveProps) {
  const { points, thresholdMinutes, currentSessions, onPick, loading = false, suggestion = null } = props;
  const [cursor, setCursor] = useState<number | null>(null);
  const cursorPoint = cursor === null ? undefined : points[cursor];
  const shown = cursorPoint ?? points[nearestIndex(points, thresholdMinutes)];

  // A press or drag on the plot sets the threshold there (snapped unless Shift or Alt is held).
  const pointer = useThresholdPointer(INSET, curveMinutes, onPick);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (points.length === 0) return;
    const from = cursor ?? nearestIndex(points, thresholdMinutes);
    const step = e.shiftKey ? 10 : 1;
    const moves: Record<string, number> = {
      ArrowLeft: from - step,
      ArrowDown: from - step,
      ArrowRight: from + step,
      ArrowUp: from + step,
      Home: 0,
      End: points.length - 1,
    };
    const next = moves[e.key];
    if (next !== undefined) {
      e.preventDefault();
      setCursor(Math.min(points.length - 1, Math.max(0, next)));
    } else if ((e.key === 'Enter' || e.key === ' ') && cursorPoint) {
      e.preventDefault();
      onPick(pickMinutes(cursorPoint));
    }
  };

  return (
    <ChartFrame
      testId="threshold-curve"
      title="Sessions for every threshold"
      loading={loading}
      data={{ 'data-current-sessions': String(currentSessions), 'data-threshold-minutes': String(thresholdMinutes) }}
      empty={points.length === 0 ? 'No curve yet.' : null}
      summary={`At ${formatMinutes(thresholdMinutes)} there are ${formatCount(currentSessions)} sessions. A flat stretch of the curve means the count hardly depends on the exact threshold there.`}
    >
      {/* A slider over the curve's points: arrows move a cursor, Enter uses its threshold. */}
      <div
        tabIndex={0}
        role="slider"
        onKeyDown={onKeyDown}
        onBlur={() => setCursor(null)}
        aria-label="Threshold on the sessions curve (arrow keys move, Enter uses it)"
        aria-valuemin={MIN_GAP_MINUTES}
        aria-valuemax={MAX_GAP_MINUTES}
        aria-valuenow={shown?.thresholdMinutes ?? thresholdMinutes}
        aria-valuetext={shown ? `${formatMinutes(shown.thresholdMinutes)}: ${formatCount(shown.sessions)} sessions` : formatMinutes(thresholdMinutes)}
        style={{ cursor: 'pointer', outlineOffset: 2 }}
      >
        <div className="threshold-drag" style={{ position: 'relative' }} {...pointer}>
          <CurveChart points={points} cursorMinutes={cursorPoint?.thresholdMinutes ?? null} />
          {suggestion && <SuggestionMark minutes={suggestion.minutes} flatRange={suggestion.flatRange} fractionOf={fractionOfMinutes} inset={INSET} />}
          <ThresholdMark
            fraction={fractionOfMinutes(thresholdMinutes)}
            inset={INSET}
            color={PALETTE.breaks}
            label={`${formatMinutes(thresholdMinutes)}: ${formatCount(currentSessions)}`}
          />
        </div>
      </div>
      <p style={{ fontSize: 13, margin: '4px 0 0' }} aria-hidden="true">
        <span style={{ color: PALETTE.within }}>━</span> sessions (left axis) &nbsp;
        <span style={{ color: PALETTE.second }}>╍</span> mean session duration (right axis, log) &nbsp;
        <span style={{ color: PALETTE.breaks }}>│</span> current threshold
        {suggestion && (
          <>
            {' '}
            &nbsp;<span style={{ color: PALETTE.second }}>┊</span> suggested threshold, shaded where the count stays within 5%
          </>
        )}
      </p>
      <p aria-live="polite" style={cursorPoint ? { fontSize: 13, margin: '4px 0 0' } : VISUALLY_HIDDEN}>
        {cursorPoint
          ? `At ${formatMinutes(cursorPoint.thresholdMinutes)}: ${formatCount(cursorPoint.sessions)} sessions, mean ${formatDuration(cursorPoint.meanDurationSeconds)}. Press Enter to use it.`
          : ''}
      </p>
    </ChartFrame>
  );
});
