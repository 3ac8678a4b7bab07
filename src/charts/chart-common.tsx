import { useRef, type CSSProperties, type PointerEvent, type ReactNode } from 'react';
import type { TooltipContentProps } from 'recharts';
import { formatDuration } from '../domain/format';
import { gapAxisPosition, gapBins } from '../domain/gap-bins';
import { MAX_GAP_MINUTES, MIN_GAP_MINUTES, niceMinutes } from '../domain/threshold';
import { snapMinutes } from '../domain/threshold-snap';

/*
 * What the exploration charts share: the Okabe–Ito palette (distinguishable with every
 * common colour-vision deficiency), a visually hidden style for screen-reader tables, a
 * frame with a heading and loading/empty states, and tooltip plumbing.
 */

/*
 * The colours are styles.css's custom properties (Okabe–Ito hues, made to reach WCAG AA
 * contrast in light and dark mode; src/domain/palette.test.ts checks them), so a chart
 * follows the page's colour scheme. SVG presentation attributes accept var().
 */
export const PALETTE = {
  within: 'var(--chart-within)', // blue: within a session
  breaks: 'var(--chart-breaks)', // vermillion: session breaks
  second: 'var(--chart-second)', // bluish green: a second series
  accent: 'var(--chart-accent)', // orange: the current threshold / selection
  muted: 'var(--chart-muted)',
  ink: 'var(--chart-ink)',
  grid: 'var(--chart-grid)',
  background: 'var(--bg)',
} as const;

/** The band a tooltip's cursor lays over the hovered bar: a tint of the ink, so it shows in dark mode too. */
export const CURSOR_FILL = `color-mix(in srgb, ${PALETTE.ink} 8%, transparent)`;

/** Hidden from sight, not from screen readers (unlike `hidden` or display: none). */
export const VISUALLY_HIDDEN: CSSProperties = {
  position: 'absolute',
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
  border: 0,
};

/**
 * A chart's data as a table for screen readers, invisible. The box that hides it is a div: a
 * table ignores width: 1 and, laid out at full width, widened narrow pages.
 */
export function ScreenReaderTable({ children }: { children: ReactNode }) {
  return (
    <div style={VISUALLY_HIDDEN}>
      <table>{children}</table>
    </div>
  );
}

export const TOOLTIP_STYLE: CSSProperties = {
  background: PALETTE.background,
  border: `1px solid ${PALETTE.muted}`,
  borderRadius: 4,
  padding: '6px 8px',
  fontSize: 13,
  color: PALETTE.ink,
};

/** The datum under the tooltip. Recharts types it loosely; the chart's data fix its type. */
export function tooltipDatum<T>(props: TooltipContentProps): T | undefined {
  const first: unknown = props.payload[0]?.payload;
  return props.active && first !== undefined ? (first as T) : undefined;
}

/** "2 min 06 s – 2 min 38 s", "< 0.1 s", "≥ 29 d 1 h" for a bin in seconds (high null: open). */
export function formatSecondsRange(lowSeconds: number, highSeconds: number | null): string {
  if (highSeconds === null) return `≥ ${formatDuration(lowSeconds)}`;
  if (lowSeconds <= 0) return `< ${formatDuration(highSeconds)}`;
  return `${formatDuration(lowSeconds)} – ${formatDuration(highSeconds)}`;
}

export interface ChartFrameProps {
  testId: string;
  title: string;
  /** One sentence about what the chart shows, read by screen readers with the heading. */
  summary: string;
  loading?: boolean;
  /** Shown instead of the chart when there is nothing to draw. */
  empty?: string | null;
  controls?: ReactNode;
  data?: Record<`data-${string}`, string>;
  children: ReactNode;
}

/** How long an update runs before charts show they are busy (styles.css .delayed-busy agrees). */
export const BUSY_DELAY_MS = 300;

/**
 * A chart panel: heading, optional controls, the chart (or an empty-state sentence), and
 * while `loading` a dimmed chart marked busy so stale numbers are never read as current.
 */
export function ChartFrame({ testId, title, summary, loading = false, empty = null, controls, data, children }: ChartFrameProps) {
  const headingId = `${testId}-title`;
  return (
    <section
      className="chart-panel"
      data-testid={testId}
      aria-labelledby={headingId}
      aria-busy={loading}
      data-loading={loading ? 'true' : 'false'}
      style={{ position: 'relative', marginBlock: 16 }}
      {...data}
    >
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 12, alignItems: 'baseline', justifyContent: 'space-between' }}>
        <h3 id={headingId} style={{ margin: 0, fontSize: 16 }}>
          {title}
        </h3>
        {controls}
      </div>
      <p className="hint" style={{ margin: '4px 0 8px' }}>
        {summary}
      </p>
      {empty !== null ? (
        <p className="chart-empty" style={{ color: PALETTE.muted, fontStyle: 'italic' }}>
          {empty}
        </p>
      ) : (
        // Dimmed only when the update takes a moment: a quick one (a slider step) would
        // otherwise repaint every chart twice.
        <div style={{ opacity: loading ? 0.35 : 1, transition: loading ? `opacity 0s linear ${BUSY_DELAY_MS}ms` : 'none' }}>{children}</div>
      )}
      {loading && (
        <p role="status" className="delayed-busy" style={{ position: 'absolute', top: 0, right: 0, margin: 0, fontSize: 13 }}>
          Updating…
        </p>
      )}
    </section>
  );
}

/** The last gap bin (the open one), for axes where bin k sits at k. */
export const LAST_GAP_BIN = gapBins().length - 1;

/** Round durations as ticks of a gap-bin axis (bin k at k, edge j at j + 0.5), plus both ends. */
export const GAP_AXIS_TICKS: readonly { position: number; label: string }[] = [
  { position: 0, label: '< 0.1 s' },
  ...(
    [
      [1e6, '1 s'],
      [10e6, '10 s'],
      [60e6, '1 min'],
      [600e6, '10 min'],
      [3600e6, '1 h'],
      [86_400e6, '1 d'],
      [7 * 86_400e6, '1 wk'],
    ] as const
  ).map(([us, label]) => ({ position: gapAxisPosition(us), label })),
  { position: LAST_GAP_BIN, label: '≥ 29 d' },
];
const GAP_TICK_LABELS = new Map(GAP_AXIS_TICKS.map((t) => [t.position, t.label]));
export const gapTickLabel = (position: number) => GAP_TICK_LABELS.get(position) ?? '';

/** Where recharts draws the plot area: the chart's margins plus the axes' reserved sizes, in px. */
export interface PlotInset {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** recharts' default XAxis height: the plot ends this far above the bottom margin. */
export const X_AXIS_HEIGHT = 30;

export interface ThresholdMarkProps {
  /** Where the threshold falls across the plot area, 0 (left edge) to 1 (right edge). */
  fraction: number;
  inset: PlotInset;
  color: string;
  dashed?: boolean;
  label: string;
}

/**
 * The current threshold as a vertical line over a chart, drawn in HTML on top of it: a
 * slider step moves this line and leaves the chart's SVG alone. The line sits at the plot's
 * left edge and is moved by a transform on a layer of its own (`cqw`: its parent, the
 * chart's `position: relative` box of the chart's full width, is an inline-size container,
 * styles.css .threshold-drag), so a step neither lays the chart out nor paints it again where
 * the line was and now is; only the label's text is drawn anew. Outside the plot (a
 * threshold off the axis) nothing is drawn, as a hidden ReferenceLine.
 */
export function ThresholdMark({ fraction, inset, color, dashed = false, label }: ThresholdMarkProps) {
  if (!(fraction >= 0 && fraction <= 1)) return null;
  return (
    <div
      aria-hidden="true"
      style={{
        position: 'absolute',
        left: inset.left,
        top: inset.top,
        bottom: inset.bottom,
        width: 0,
        marginLeft: -1,
        borderLeft: `2px ${dashed ? 'dashed' : 'solid'} ${color}`,
        transform: `translateX(calc((100cqw - ${inset.left + inset.right}px) * ${fraction}))`,
        willChange: 'transform',
        pointerEvents: 'none',
      }}
    >
      <span style={{ position: 'absolute', right: 5, top: 2, fontSize: 12, whiteSpace: 'nowrap', color: PALETTE.ink }}>{label}</span>
    </div>
  );
}

export interface ThresholdPointerHandlers {
  onPointerDown: (e: PointerEvent<HTMLDivElement>) => void;
  onPointerMove: (e: PointerEvent<HTMLDivElement>) => void;
  onPointerUp: (e: PointerEvent<HTMLDivElement>) => void;
  onPointerCancel: (e: PointerEvent<HTMLDivElement>) => void;
}

/**
 * Pointer handlers for a chart's box (the `position: relative` box the ThresholdMark sits
 * in): a press in the plot area sets the threshold under the pointer, and dragging moves
 * it, so the threshold line is dragged where it is drawn. Like the slider, it snaps to the
 * values people report unless Shift or Alt is held. The handlers sit on the box, not on a
 * layer over the chart, so the chart's tooltips still follow the pointer.
 */
export function useThresholdPointer(
  inset: PlotInset,
  fractionToMinutes: (fraction: number) => number,
  onPick: (minutes: number) => void,
): ThresholdPointerHandlers {
  const dragging = useRef(false);
  const latest = useRef({ fractionToMinutes, onPick });
  latest.current = { fractionToMinutes, onPick };
  const plotFraction = (e: PointerEvent<HTMLDivElement>): number | null => {
    const box = e.currentTarget.getBoundingClientRect();
    const x = (e.clientX - box.left - inset.left) / (box.width - inset.left - inset.right);
    const y = e.clientY - box.top;
    if (!dragging.current && (y < inset.top || y > box.height - inset.bottom)) return null;
    return Math.min(1, Math.max(0, x));
  };
  const pick = (e: PointerEvent<HTMLDivElement>) => {
    const fraction = plotFraction(e);
    if (fraction === null) return;
    const exact = Math.min(MAX_GAP_MINUTES, Math.max(MIN_GAP_MINUTES, latest.current.fractionToMinutes(fraction)));
    latest.current.onPick(e.shiftKey || e.altKey ? niceMinutes(exact) : snapMinutes(exact));
  };
  const end = (e: PointerEvent<HTMLDivElement>) => {
    dragging.current = false;
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
  };
  return {
    onPointerDown: (e) => {
      if (e.button !== 0 || plotFraction(e) === null) return;
      dragging.current = true;
      e.currentTarget.setPointerCapture(e.pointerId);
      pick(e);
    },
    onPointerMove: (e) => {
      if (dragging.current) pick(e);
    },
    onPointerUp: end,
    onPointerCancel: end,
  };
}
