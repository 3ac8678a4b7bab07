import { memo, useId, useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, ReferenceLine, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts';
import { latenessScopeFigures, splitLatenessHistogram } from '../domain/lateness';
import type { LatenessHistogramRow, LatenessKeepShare, LatenessScope, LatenessSummary } from '../domain/types';
import { gapAxisPosition } from '../domain/gap-bins';
import { formatCount, formatDuration, formatShare } from '../domain/format';
import {
  ChartFrame,
  formatSecondsRange,
  GAP_AXIS_TICKS,
  gapTickLabel,
  LAST_GAP_BIN,
  CURSOR_FILL,
  PALETTE,
  TOOLTIP_STYLE,
  tooltipDatum,
  ScreenReaderTable,
  VISUALLY_HIDDEN,
} from './chart-common';

export interface LatenessChartProps {
  /** latenessSummarySql's row. */
  summary: LatenessSummary;
  /** latenessHistogramSql's rows for each scope (on-time row first, then every gap bin). */
  histograms: Record<LatenessScope, readonly LatenessHistogramRow[]>;
  /** The scope shown first; the toggle then lives in the chart. */
  initialScope?: LatenessScope;
  loading?: boolean;
}

interface Datum {
  x: number;
  row: LatenessHistogramRow;
  count: number;
}

const SCOPE_LABELS: Record<LatenessScope, { toggle: string; after: string; inOrder: string; behind: string; watermark: string }> = {
  overall: {
    toggle: 'All events (one watermark)',
    after: 'after an event with a later timestamp (of any user)',
    inOrder: 'arrived in time order',
    behind: 'the latest event seen',
    watermark: 'A global watermark',
  },
  user: {
    toggle: 'Per user (a watermark per user)',
    after: 'after a later event of the same user',
    inOrder: 'arrived in time order for their user',
    behind: "the same user's latest event",
    watermark: 'A per-user watermark',
  },
};

const KEEP_LABELS: Record<LatenessKeepShare, string> = { 0.99: '99%', 0.999: '99.9%', 1: '100%' };
const KEEP_DASHES: Record<LatenessKeepShare, string> = { 0.99: '2 3', 0.999: '6 3', 1: '' };

/** A duration in µs for people; below a millisecond formatDuration would say "0 ms". */
export const formatLatenessUs = (us: number) => (us > 0 && us < 1000 ? `${us} µs` : formatDuration(us / 1e6));
const usText = formatLatenessUs;

/** The x of a duration on the gap-bin axis, kept on the axis. */
const axisX = (us: number) => Math.min(LAST_GAP_BIN + 0.5, Math.max(-0.5, gapAxisPosition(us)));

function LatenessTooltip(props: TooltipContentProps) {
  const d = tooltipDatum<Datum>(props);
  if (!d) return null;
  return (
    <div style={TOOLTIP_STYLE}>
      <div>{formatSecondsRange(d.row.lowSeconds, d.row.highSeconds)} late</div>
      <div>
        <strong>{d.row.count.toLocaleString('en-US')}</strong> events
      </div>
    </div>
  );
}

/** A reference line's label, stacked below the others so that close lines stay legible. */
function delayLabel(text: string, index: number, x: number) {
  const rightSide = x > LAST_GAP_BIN * 0.7;
  return ({ viewBox }: { viewBox?: { x: number; y: number } }) => (
    <text
      x={(viewBox?.x ?? 0) + (rightSide ? -4 : 4)}
      y={(viewBox?.y ?? 0) + 12 + index * 14}
      textAnchor={rightSide ? 'end' : 'start'}
      fontSize={12}
      fill={PALETTE.ink}
    >
      {text}
    </text>
  );
}

/**
 * How late events arrived, when the file's row order is their arrival order: late events
 * (lateness > 0) on the log-spaced gap bins, the events on time counted apart, and the
 * watermark delays that keep 99%, 99.9% and 100% of the events on time as vertical lines.
 * The toggle switches between lateness behind anyone's latest event (a global watermark)
 * and behind the same user's latest event. Exact counts are in the hidden table's
 * `data-count` attributes; the delays in the root's `data-delay-*-us` attributes.
 */
export const LatenessChart = memo(function LatenessChart({ summary, histograms, initialScope = 'overall', loading = false }: LatenessChartProps) {
  const [scope, setScope] = useState<LatenessScope>(initialScope);
  const groupId = useId();
  const figures = latenessScopeFigures(summary, scope);
  const { onTime, late } = useMemo(() => splitLatenessHistogram(histograms[scope]), [histograms, scope]);
  const data = useMemo<Datum[]>(() => late.map((row) => ({ x: row.bin, row, count: row.count })), [late]);
  const labels = SCOPE_LABELS[scope];
  const [d99, d999, d100] = figures.delays;
  const delaysText = `${labels.watermark} ${usText(d99?.delayUs ?? 0)} behind keeps 99% of the events on time, ${usText(d999?.delayUs ?? 0)} keeps 99.9%, ${usText(d100?.delayUs ?? 0)} keeps all.`;
  const summaryText =
    figures.outOfOrderEvents === 0
      ? `All ${formatCount(summary.events)} events ${labels.inOrder}: no watermark delay is needed.`
      : `${formatCount(figures.outOfOrderEvents)} of ${formatCount(summary.events)} events (${formatShare(figures.outOfOrderShare)}) arrived ${labels.after}, up to ${usText(figures.maxLatenessUs)} behind it. ${delaysText}`;

  return (
    <ChartFrame
      testId="lateness"
      title="How late events arrived"
      loading={loading}
      summary={summaryText}
      empty={summary.events === 0 ? 'No events to measure.' : null}
      data={{
        'data-scope': scope,
        'data-events': String(summary.events),
        'data-on-time': String(onTime),
        'data-out-of-order': String(figures.outOfOrderEvents),
        'data-out-of-order-share': String(figures.outOfOrderShare),
        'data-max-lateness-us': String(figures.maxLatenessUs),
        'data-delay-99-us': String(d99?.delayUs ?? 0),
        'data-delay-999-us': String(d999?.delayUs ?? 0),
        'data-delay-100-us': String(d100?.delayUs ?? 0),
      }}
      controls={
        <fieldset style={{ border: 0, padding: 0, margin: 0, fontSize: 14, display: 'flex', gap: 12 }}>
          <legend style={VISUALLY_HIDDEN}>Lateness measured behind</legend>
          {(['overall', 'user'] as const).map((s) => (
            <label key={s}>
              <input type="radio" name={groupId} value={s} data-testid={`lateness-scope-${s}`} checked={scope === s} onChange={() => setScope(s)} />{' '}
              {SCOPE_LABELS[s].toggle}
            </label>
          ))}
        </fieldset>
      }
    >
      <p style={{ margin: '0 0 4px', fontSize: 14 }} data-testid="lateness-on-time" data-value={onTime}>
        On time (lateness 0): <strong>{formatCount(onTime)}</strong> events ({formatShare(summary.events ? onTime / summary.events : 0)}); late events by how
        late:
      </p>
      <BarChart
        responsive
        width="100%"
        height={240}
        data={data}
        barCategoryGap={0}
        barGap={0}
        margin={{ top: 16, right: 16, bottom: 8, left: 8 }}
        title="Histogram of event lateness"
        desc={delaysText}
      >
        <CartesianGrid vertical={false} stroke={PALETTE.grid} />
        <XAxis
          type="number"
          dataKey="x"
          domain={[-0.5, LAST_GAP_BIN + 0.5]}
          allowDataOverflow
          ticks={GAP_AXIS_TICKS.map((t) => t.position)}
          tickFormatter={gapTickLabel}
          interval="preserveStartEnd"
          minTickGap={4}
          fontSize={12}
        />
        <YAxis width={56} fontSize={12} domain={[0, 'auto']} allowDecimals={false} tickFormatter={(v: number) => formatCount(v)} />
        <Tooltip content={LatenessTooltip} isAnimationActive={false} cursor={{ fill: CURSOR_FILL }} />
        <Bar dataKey="count" name="Late events" fill={PALETTE.breaks} isAnimationActive={false} />
        {figures.delays.map((d, i) => (
          <ReferenceLine
            key={d.keep}
            x={axisX(d.delayUs)}
            stroke={PALETTE.ink}
            strokeWidth={2}
            strokeDasharray={KEEP_DASHES[d.keep]}
            ifOverflow="visible"
            label={delayLabel(`${KEEP_LABELS[d.keep]}: ${usText(d.delayUs)}`, i, axisX(d.delayUs))}
          />
        ))}
      </BarChart>
      <p style={{ fontSize: 13, margin: '4px 0 0' }} aria-hidden="true">
        <span style={{ color: PALETTE.breaks }}>■</span> late events &nbsp; lines: watermark delay keeping 99% (dotted), 99.9% (dashed), 100% (solid) on time
      </p>
      <ScreenReaderTable>
        <caption>Events by lateness behind {labels.behind}</caption>
        <thead>
          <tr>
            <th scope="col">Lateness</th>
            <th scope="col">Events</th>
          </tr>
        </thead>
        <tbody>
          <tr data-bin={-1} data-count={onTime}>
            <td>on time (0)</td>
            <td>{onTime}</td>
          </tr>
          {late.map((row) => (
            <tr key={row.bin} data-bin={row.bin} data-count={row.count}>
              <td>{formatSecondsRange(row.lowSeconds, row.highSeconds)}</td>
              <td>{row.count}</td>
            </tr>
          ))}
        </tbody>
      </ScreenReaderTable>
      <ScreenReaderTable>
        <caption>Watermark delay needed to keep a share of the events on time</caption>
        <thead>
          <tr>
            <th scope="col">Events on time</th>
            <th scope="col">Watermark delay</th>
          </tr>
        </thead>
        <tbody>
          {figures.delays.map((d) => (
            <tr key={d.keep} data-keep={d.keep} data-delay-us={d.delayUs}>
              <td>{KEEP_LABELS[d.keep]}</td>
              <td>{usText(d.delayUs)}</td>
            </tr>
          ))}
        </tbody>
      </ScreenReaderTable>
    </ChartFrame>
  );
});
