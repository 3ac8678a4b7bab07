import { memo, useId, useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, ReferenceLine, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts';
import type { GapHistogramRow } from '../sql/explore-sql';
import { gapAxisPosition } from '../domain/gap-bins';
import { formatCount, formatMinutes, formatShare } from '../domain/format';
import {
  ChartFrame, formatSecondsRange, GAP_AXIS_TICKS, gapTickLabel, LAST_GAP_BIN, PALETTE, TOOLTIP_STYLE, tooltipDatum, VISUALLY_HIDDEN,
} from './chart-common';

export interface GapHistogramProps {
  /** gapHistogramSql's rows: every bin, in order. */
  bins: readonly GapHistogramRow[];
  /** The threshold on screen, in minutes. */
  thresholdMinutes: number;
  loading?: boolean;
}

interface Datum {
  x: number;
  row: GapHistogramRow;
  isBreak: boolean;
  within: number | null;
  breaks: number | null;
}

/** log10(1 + n): zero stays at the baseline and 1, 10, 100 … are evenly spaced. */
const logCount = (n: number) => Math.log10(1 + n);

function HistogramTooltip(props: TooltipContentProps) {
  const d = tooltipDatum<Datum>(props);
  if (!d) return null;
  return (
    <div style={TOOLTIP_STYLE}>
      <div>{formatSecondsRange(d.row.lowSeconds, d.row.highSeconds)}</div>
      <div><strong>{d.row.count.toLocaleString('en-US')}</strong> gaps{d.isBreak ? ' (session breaks)' : ''}</div>
    </div>
  );
}

/**
 * Gaps between consecutive clicks of the same user on log-spaced bins. Bins whose lower
 * edge reaches the threshold (every gap in them starts a session) are drawn in the
 * "breaks" colour; the threshold itself is the vertical line. Each bin's exact count is
 * in a `data-count` attribute of the screen-reader table, and their sum in `data-total`.
 */
export const GapHistogram = memo(function GapHistogram({ bins, thresholdMinutes, loading = false }: GapHistogramProps) {
  const [logScale, setLogScale] = useState(false);
  const toggleId = useId();
  const thresholdUs = thresholdMinutes * 60e6;
  const total = bins.reduce((sum, b) => sum + b.count, 0);
  const breaks = bins.reduce((sum, b) => sum + (b.lowUs >= thresholdUs ? b.count : 0), 0);
  const data = useMemo<Datum[]>(() => bins.map((row) => {
    const isBreak = row.lowUs >= thresholdUs;
    const value = logScale ? logCount(row.count) : row.count;
    return { x: row.bin, row, isBreak, within: isBreak ? null : value, breaks: isBreak ? value : null };
  }), [bins, thresholdUs, logScale]);
  const maxCount = Math.max(1, ...bins.map((b) => b.count));
  const yTicks = logScale
    ? Array.from({ length: Math.floor(Math.log10(maxCount)) + 1 }, (_, k) => logCount(10 ** k))
    : undefined;

  return (
    <ChartFrame
      testId="gap-histogram" title="Gaps between a user's clicks" loading={loading}
      data={{ 'data-total': String(total), 'data-threshold-minutes': String(thresholdMinutes) }}
      empty={total === 0 ? 'No gaps to show: every user has a single event.' : null}
      summary={`${formatCount(total)} gaps on a log time scale; ${formatShare(total ? breaks / total : 0)} of them (in bins from ${formatMinutes(thresholdMinutes)} up) start a new session.`}
      controls={
        <label htmlFor={toggleId} style={{ fontSize: 14 }}>
          <input id={toggleId} type="checkbox" checked={logScale} onChange={(e) => setLogScale(e.target.checked)} /> Log count axis
        </label>
      }
    >
      <BarChart
        responsive width="100%" height={260} data={data} barCategoryGap={0} barGap={0}
        margin={{ top: 16, right: 16, bottom: 8, left: 8 }}
        title="Histogram of gaps between clicks" desc={`Bars left of the ${formatMinutes(thresholdMinutes)} line are gaps within a session; bars right of it are session breaks.`}
      >
        <CartesianGrid vertical={false} stroke="#e5e5e5" />
        <XAxis
          type="number" dataKey="x" domain={[-0.5, LAST_GAP_BIN + 0.5]} allowDataOverflow
          ticks={GAP_AXIS_TICKS.map((t) => t.position)} tickFormatter={gapTickLabel} interval={0} fontSize={12}
        />
        <YAxis
          width={56} fontSize={12} ticks={yTicks} domain={[0, 'auto']}
          tickFormatter={(v: number) => formatCount(logScale ? Math.round(10 ** v - 1) : v)}
        />
        <Tooltip content={HistogramTooltip} isAnimationActive={false} cursor={{ fill: 'rgba(0,0,0,0.06)' }} />
        <Bar dataKey="within" name="Within a session" stackId="gaps" fill={PALETTE.within} isAnimationActive={false} />
        <Bar dataKey="breaks" name="Session break" stackId="gaps" fill={PALETTE.breaks} isAnimationActive={false} />
        <ReferenceLine
          x={gapAxisPosition(thresholdUs)} stroke={PALETTE.ink} strokeWidth={2} strokeDasharray="4 3" ifOverflow="hidden"
          label={{ value: `threshold ${formatMinutes(thresholdMinutes)}`, position: 'insideTopRight', fontSize: 12, fill: PALETTE.ink }}
        />
      </BarChart>
      <p style={{ fontSize: 13, margin: '4px 0 0' }} aria-hidden="true">
        <span style={{ color: PALETTE.within }}>■</span> within a session &nbsp;
        <span style={{ color: PALETTE.breaks }}>■</span> session break (gap ≥ threshold)
      </p>
      <table style={VISUALLY_HIDDEN}>
        <caption>Gaps between clicks per time bin</caption>
        <thead><tr><th scope="col">Gap</th><th scope="col">Gaps</th><th scope="col">Kind</th></tr></thead>
        <tbody>
          {data.map((d) => (
            <tr key={d.row.bin} data-bin={d.row.bin} data-count={d.row.count}>
              <td>{formatSecondsRange(d.row.lowSeconds, d.row.highSeconds)}</td>
              <td>{d.row.count}</td>
              <td>{d.isBreak ? 'session break' : 'within a session'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ChartFrame>
  );
});
