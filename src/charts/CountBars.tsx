import { formatCount, formatExact } from '../domain/format';
import { PALETTE } from './chart-common';

/*
 * A small bar chart drawn as HTML boxes, for the charts that change on every threshold
 * step (session durations, events per session, sessions over time). A recharts chart renders twice per new data
 * set (props, then its own store) and measures text; at a slider step that cost tens of ms
 * of main thread, against a few here: a step only changes the bars' heights and the
 * axis's numbers. Text stays text (labels, tooltips in `title`).
 */

export interface CountBar {
  key: number;
  /** Text of the bar's axis label (category axes). */
  label: string;
  /** The bin in words, for the tooltip. */
  detail: string;
  count: number;
}

export interface CountBarsProps {
  bars: readonly CountBar[];
  color: string;
  height: number;
  /** Labels at positions of the bars' axis (bar i centred on i); all bars' labels when absent. */
  ticks?: readonly { position: number; label: string }[];
}

const Y_AXIS_WIDTH = 52;
const X_AXIS_HEIGHT = 22;
const TICK_FONT = 11;
/** Room above the plot for the top tick's label, which is centred on the plot's top edge. */
const PLOT_TOP = 8;

/** Round steps (1, 2, 2.5, 5 × 10^k, at least 1) with at most `intervals` of them up to `max`. */
export function countAxis(max: number, intervals = 4): { top: number; ticks: number[] } {
  if (!(max > 0)) return { top: 1, ticks: [0, 1] };
  const rough = max / intervals;
  const power = 10 ** Math.floor(Math.log10(rough));
  // Counts are whole: no step below 1.
  const step = Math.max(1, ([1, 2, 2.5, 5, 10].find((m) => m * power >= rough && Number.isInteger(m * power)) ?? 10) * power);
  const top = Math.ceil(max / step) * step;
  return { top, ticks: Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step) };
}

export function CountBars({ bars, color, height, ticks }: CountBarsProps) {
  const { top, ticks: yTicks } = countAxis(Math.max(0, ...bars.map((b) => b.count)));
  const plotHeight = height - X_AXIS_HEIGHT - PLOT_TOP;
  const n = Math.max(1, bars.length);
  const xTicks = ticks ?? bars.map((b, i) => ({ position: i, label: b.label }));
  return (
    <div style={{ position: 'relative', height, fontSize: TICK_FONT, color: PALETTE.muted, marginTop: 8 }}>
      <div aria-hidden="true" style={{ position: 'absolute', left: 0, top: PLOT_TOP, width: Y_AXIS_WIDTH - 6, height: plotHeight }}>
        {yTicks.map((t) => (
          <span key={t} style={{ position: 'absolute', right: 0, bottom: `${(t / top) * 100}%`, transform: 'translateY(50%)', whiteSpace: 'nowrap' }}>
            {formatCount(t)}
          </span>
        ))}
      </div>
      <div
        style={{
          position: 'absolute',
          left: Y_AXIS_WIDTH,
          right: 8,
          top: PLOT_TOP,
          height: plotHeight,
          borderLeft: `1px solid ${PALETTE.muted}`,
          borderBottom: `1px solid ${PALETTE.muted}`,
        }}
      >
        {yTicks.slice(1).map((t) => (
          <div key={t} style={{ position: 'absolute', left: 0, right: 0, bottom: `${(t / top) * 100}%`, borderTop: `1px solid ${PALETTE.grid}` }} />
        ))}
        <div style={{ position: 'absolute', inset: 0, display: 'flex', alignItems: 'flex-end', gap: 1 }}>
          {bars.map((b) => (
            <div
              key={b.key}
              // One shared formatter: toLocaleString makes one per call (~5 ms per chart per change).
              title={`${b.detail}: ${formatExact(b.count)} sessions`}
              style={{ flex: '1 1 0', height: '100%', display: 'flex', alignItems: 'flex-end' }}
            >
              <div style={{ width: '100%', height: `${(b.count / top) * 100}%`, background: color }} />
            </div>
          ))}
        </div>
      </div>
      <div aria-hidden="true" style={{ position: 'absolute', left: Y_AXIS_WIDTH, right: 8, top: PLOT_TOP + plotHeight + 4, height: X_AXIS_HEIGHT - 4 }}>
        {xTicks.map((t) => (
          <span
            key={t.position}
            style={{ position: 'absolute', left: `${((t.position + 0.5) / n) * 100}%`, transform: 'translateX(-50%)', whiteSpace: 'nowrap' }}
          >
            {t.label}
          </span>
        ))}
      </div>
    </div>
  );
}
