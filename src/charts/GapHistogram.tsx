import { createContext, memo, useContext, useId, useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis, type BarShapeProps, type TooltipContentProps } from 'recharts';
import type { GapHistogramRow } from '../domain/types';
import { gapAxisPosition, gapAxisToUs } from '../domain/gap-bins';
import { formatCount, formatExact, formatMinutes, formatShare } from '../domain/format';
import type { FlatRange } from '../domain/suggest-threshold';
import { SuggestionMark } from './SuggestionMark';
import {
  ChartFrame,
  formatSecondsRange,
  GAP_AXIS_TICKS,
  gapTickLabel,
  LAST_GAP_BIN,
  CURSOR_FILL,
  PALETTE,
  ThresholdMark,
  TOOLTIP_STYLE,
  tooltipDatum,
  ScreenReaderTable,
  useThresholdPointer,
  X_AXIS_HEIGHT,
  type PlotInset,
} from './chart-common';

export interface GapHistogramProps {
  /** gapHistogramSql's rows: every bin, in order. */
  bins: readonly GapHistogramRow[];
  /** The threshold on screen, in minutes. */
  thresholdMinutes: number;
  /** Sets the threshold (a click or drag on the chart). */
  onPick?: (minutes: number) => void;
  loading?: boolean;
  /** The suggested threshold and the flat range around it, marked on the chart; null when there is none. */
  suggestion?: { minutes: number; flatRange: FlatRange | null } | null;
  /**
   * Session starts by cause when further rules are on (null: the gap rule alone, when every
   * gap in a break bin starts a session and nothing else does).
   */
  startsByCause?: { firstEvents: number; gaps: number; rules: number } | null;
}

/** What the chart says about session starts, true under the rules in force. */
function summaryText(total: number, breaks: number, thresholdMinutes: number, starts: GapHistogramProps['startsByCause']): string {
  const gaps = `${formatCount(total)} gaps on a log time scale; ${formatShare(total ? breaks / total : 0)} of them (in bins from ${formatMinutes(thresholdMinutes)} up) reach the threshold`;
  if (!starts) return `${gaps} and start a new session.`;
  const all = starts.firstEvents + starts.gaps + starts.rules;
  const share = (n: number) => formatShare(all ? n / all : 0);
  return `${gaps}. With the further rules in force, the ${formatExact(all)} sessions start at a user's first event (${formatExact(starts.firstEvents)}, ${share(starts.firstEvents)}), at a gap reaching the threshold (${formatExact(starts.gaps)}, ${share(starts.gaps)}) or where a further rule cuts (${formatExact(starts.rules)}, ${share(starts.rules)}).`;
}

interface Datum {
  x: number;
  row: GapHistogramRow;
  value: number;
}

/** log10(1 + n): zero stays at the baseline and 1, 10, 100 … are evenly spaced. */
const logCount = (n: number) => Math.log10(1 + n);

/** The threshold for the tooltip, which renders inside the chart that a threshold change leaves alone. */
const ThresholdUsContext = createContext(0);

function HistogramTooltip(props: TooltipContentProps) {
  const thresholdUs = useContext(ThresholdUsContext);
  const d = tooltipDatum<Datum>(props);
  if (!d) return null;
  return (
    <div style={TOOLTIP_STYLE}>
      <div>{formatSecondsRange(d.row.lowSeconds, d.row.highSeconds)}</div>
      <div>
        <strong>{d.row.count.toLocaleString('en-US')}</strong> gaps{d.row.lowUs >= thresholdUs ? ' (session breaks)' : ''}
      </div>
    </div>
  );
}

const MARGIN = { top: 16, right: 16, bottom: 8, left: 8 };
const Y_AXIS_WIDTH = 56;
const HEIGHT = 260;
const INSET: PlotInset = { left: MARGIN.left + Y_AXIS_WIDTH, right: MARGIN.right, top: MARGIN.top, bottom: MARGIN.bottom + X_AXIS_HEIGHT };
const fractionOfMinutes = (minutes: number) => (gapAxisPosition(minutes * 60e6) + 0.5) / (LAST_GAP_BIN + 1);
/** A class per bin on each bar, so that style rules colour the break bins. */
const BAR_CLASS = 'gap-bar';

/**
 * For each first break bin K (the wrapper's data-break-from), the rule that colours bins K and
 * up. Written once: a threshold change only sets the attribute, which restyles the bars
 * alone, where changing a style sheet's text makes the browser re-match the whole page.
 */
const BREAK_RULES = Array.from(
  { length: LAST_GAP_BIN + 1 },
  (_, from) =>
    `[data-break-from="${from}"] :is(${Array.from({ length: LAST_GAP_BIN + 1 - from }, (_, k) => `.${BAR_CLASS}-${from + k}`).join(', ')}) { fill: ${PALETTE.breaks}; }`,
).join('\n');

/** A bar as recharts would draw it, with its bin in a class. */
function BinBar({ x, y, width, height, payload }: BarShapeProps) {
  const bin = (payload as Datum | undefined)?.x ?? -1;
  return (
    <rect x={x} y={y} width={Math.max(0, width ?? 0)} height={Math.max(0, height ?? 0)} className={`${BAR_CLASS} ${BAR_CLASS}-${bin}`} fill={PALETTE.within} />
  );
}

/**
 * The bars and axes, which depend on the bins alone: a threshold change re-colours bars by
 * a style rule and moves an HTML line, and this SVG is not rendered again.
 */
const HistogramBars = memo(function HistogramBars({ data, logScale, maxCount }: { data: readonly Datum[]; logScale: boolean; maxCount: number }) {
  const yTicks = logScale ? Array.from({ length: Math.floor(Math.log10(maxCount)) + 1 }, (_, k) => logCount(10 ** k)) : undefined;
  return (
    <BarChart
      responsive
      width="100%"
      height={HEIGHT}
      data={[...data]}
      barCategoryGap={0}
      barGap={0}
      margin={MARGIN}
      title="Histogram of gaps between clicks"
      desc="Bars left of the threshold line are gaps within a session; bars right of it are session breaks."
    >
      <CartesianGrid vertical={false} stroke={PALETTE.grid} />
      <XAxis
        type="number"
        dataKey="x"
        domain={[-0.5, LAST_GAP_BIN + 0.5]}
        allowDataOverflow
        height={X_AXIS_HEIGHT}
        ticks={GAP_AXIS_TICKS.map((t) => t.position)}
        tickFormatter={gapTickLabel}
        // On a narrow screen recharts leaves out the labels that would overlap (never the ends).
        interval="preserveStartEnd"
        minTickGap={4}
        fontSize={12}
      />
      <YAxis
        width={Y_AXIS_WIDTH}
        fontSize={12}
        ticks={yTicks}
        domain={[0, 'auto']}
        tickFormatter={(v: number) => formatCount(logScale ? Math.round(10 ** v - 1) : v)}
      />
      <Tooltip content={HistogramTooltip} isAnimationActive={false} cursor={{ fill: CURSOR_FILL }} />
      <Bar dataKey="value" name="Gaps" fill={PALETTE.within} shape={BinBar} isAnimationActive={false} />
    </BarChart>
  );
});

/**
 * Gaps between consecutive clicks of the same user on log-spaced bins. Bins whose lower
 * edge reaches the threshold (every gap in them starts a session) are drawn in the
 * "breaks" colour; the threshold itself is the vertical line. Each bin's exact count is
 * in a `data-count` attribute of the screen-reader table, and their sum in `data-total`.
 */
/** A fraction of the plot's width as minutes on the bins' axis (bin k centred on k). */
const histogramMinutes = (fraction: number) => gapAxisToUs(fraction * (LAST_GAP_BIN + 1) - 0.5) / 60e6;
const noPick = () => {};

export const GapHistogram = memo(function GapHistogram({
  bins,
  thresholdMinutes,
  onPick = noPick,
  loading = false,
  suggestion = null,
  startsByCause = null,
}: GapHistogramProps) {
  const pointer = useThresholdPointer(INSET, histogramMinutes, onPick);
  const [logScale, setLogScale] = useState(false);
  const toggleId = useId();
  const thresholdUs = thresholdMinutes * 60e6;
  const total = bins.reduce((sum, b) => sum + b.count, 0);
  const breaks = bins.reduce((sum, b) => sum + (b.lowUs >= thresholdUs ? b.count : 0), 0);
  const data = useMemo<Datum[]>(() => bins.map((row) => ({ x: row.bin, row, value: logScale ? logCount(row.count) : row.count })), [bins, logScale]);
  const maxCount = Math.max(1, ...bins.map((b) => b.count));
  // Bins are in order with increasing lower edges: the breaks are a suffix.
  const breakFrom = bins.find((b) => b.lowUs >= thresholdUs)?.bin ?? LAST_GAP_BIN + 1;

  return (
    <ChartFrame
      testId="gap-histogram"
      title="Gaps between a user's clicks"
      loading={loading}
      data={{ 'data-total': String(total), 'data-threshold-minutes': String(thresholdMinutes) }}
      empty={total === 0 ? 'No gaps to show: every user has a single event.' : null}
      summary={summaryText(total, breaks, thresholdMinutes, startsByCause)}
      controls={
        <label htmlFor={toggleId} style={{ fontSize: 14 }}>
          <input id={toggleId} type="checkbox" checked={logScale} onChange={(e) => setLogScale(e.target.checked)} /> Log count axis
        </label>
      }
    >
      <style>{BREAK_RULES}</style>
      <div data-break-from={breakFrom} className="threshold-drag" style={{ position: 'relative' }} {...pointer}>
        <ThresholdUsContext.Provider value={thresholdUs}>
          <HistogramBars data={data} logScale={logScale} maxCount={maxCount} />
        </ThresholdUsContext.Provider>
        {suggestion && <SuggestionMark minutes={suggestion.minutes} flatRange={suggestion.flatRange} fractionOf={fractionOfMinutes} inset={INSET} />}
        <ThresholdMark
          fraction={(gapAxisPosition(thresholdUs) + 0.5) / (LAST_GAP_BIN + 1)}
          inset={INSET}
          color={PALETTE.ink}
          dashed
          label={`threshold ${formatMinutes(thresholdMinutes)}`}
        />
      </div>
      <p style={{ fontSize: 13, margin: '4px 0 0' }} aria-hidden="true">
        <span style={{ color: PALETTE.within }}>■</span> within a session &nbsp;
        <span style={{ color: PALETTE.breaks }}>■</span> session break (gap ≥ threshold)
        {suggestion && (
          <>
            {' '}
            &nbsp;<span style={{ color: PALETTE.second }}>┊</span> suggested threshold, shaded where the session count stays within 5%
          </>
        )}
        &nbsp;· click or drag to set the threshold
      </p>
      <ScreenReaderTable>
        <caption>Gaps between clicks per time bin</caption>
        <thead>
          <tr>
            <th scope="col">Gap</th>
            <th scope="col">Gaps</th>
            <th scope="col">Kind</th>
          </tr>
        </thead>
        <tbody>
          {bins.map((row) => (
            <tr key={row.bin} data-bin={row.bin} data-count={row.count}>
              <td>{formatSecondsRange(row.lowSeconds, row.highSeconds)}</td>
              <td>{row.count}</td>
              <td>{row.lowUs >= thresholdUs ? 'session break' : 'within a session'}</td>
            </tr>
          ))}
        </tbody>
      </ScreenReaderTable>
    </ChartFrame>
  );
});
