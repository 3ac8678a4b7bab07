import { useMemo, useRef, type KeyboardEvent, type PointerEvent } from 'react';
import type { TimeRange } from '../domain/timeline-range';
import { PALETTE } from './chart-common';

/*
 * The overview strip under the lanes: every lane's sessions squeezed into a thin row over
 * the whole time span, and a brush (the window the lanes show). Drag across the strip to
 * choose a window, drag the window to pan it, drag its edges to resize it; arrow keys pan,
 * + and - zoom, Escape shows everything.
 */

export interface OverviewLane {
  key: string;
  bars: readonly { startUs: number; endUs: number }[];
}

interface LanesOverviewProps {
  lanes: readonly OverviewLane[];
  domain: TimeRange;
  /** The window shown, or null for the whole domain. */
  window: TimeRange | null;
  onWindow: (window: TimeRange | null) => void;
}

const WIDTH = 1000;
const ROW = 3;
/** A window narrower than this share of the domain is a click, not a drag. */
const CLICK_SHARE = 0.004;
/** How near an edge (share of the strip) a press resizes instead of panning. */
const EDGE_SHARE = 0.012;

type Drag = { kind: 'new'; anchor: number } | { kind: 'pan'; grab: number; from: number; to: number } | { kind: 'edge'; fixed: number };

export function clampWindow(domain: TimeRange, from: number, to: number): TimeRange | null {
  const span = domain.toUs - domain.fromUs;
  const width = Math.min(span, Math.max(to - from, span * CLICK_SHARE));
  const start = Math.min(Math.max(domain.fromUs, from), domain.toUs - width);
  if (width >= span) return null;
  return { fromUs: start, toUs: start + width };
}

/** Bars within a unit of the strip joined into one, so a lane costs at most WIDTH shapes. */
function coalesced(bars: readonly { startUs: number; endUs: number }[], x: (us: number) => number): { x0: number; x1: number }[] {
  const out: { x0: number; x1: number }[] = [];
  for (const b of bars) {
    const x0 = x(b.startUs);
    const x1 = Math.max(x0 + 1, x(b.endUs));
    const last = out[out.length - 1];
    if (last && x0 <= last.x1 + 1) last.x1 = Math.max(last.x1, x1);
    else out.push({ x0, x1 });
  }
  return out;
}

/** Rectangles from x0 to x1 at top y and of height h, as one SVG path. */
export function barsPath(pieces: readonly { x0: number; x1: number }[], y: number, h: number): string {
  // Tenths of a unit (the strip is 1000 wide): the path's text stays short to make and to parse.
  const r = (x: number) => Math.round(x * 10) / 10;
  return pieces.map((b) => `M${r(b.x0)} ${y}h${r(b.x1 - b.x0)}v${h}h${r(b.x0 - b.x1)}z`).join('');
}

export function LanesOverview({ lanes, domain, window, onWindow }: LanesOverviewProps) {
  const drag = useRef<Drag | null>(null);
  const span = domain.toUs - domain.fromUs;
  const x = (us: number) => ((us - domain.fromUs) / span) * WIDTH;
  // biome-ignore lint/correctness/useExhaustiveDependencies: x is derived from domain
  const rows = useMemo(() => lanes.map((lane) => ({ key: lane.key, pieces: coalesced(lane.bars, x) })), [lanes, domain]);
  const height = Math.max(12, lanes.length * ROW);
  const shown = window ?? domain;

  const instantAt = (e: PointerEvent<HTMLDivElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const share = box.width > 0 ? Math.min(1, Math.max(0, (e.clientX - box.left) / box.width)) : 0;
    return domain.fromUs + share * span;
  };
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    const t = instantAt(e);
    e.currentTarget.setPointerCapture(e.pointerId);
    const edge = EDGE_SHARE * span;
    if (window && Math.abs(t - window.fromUs) <= edge) drag.current = { kind: 'edge', fixed: window.toUs };
    else if (window && Math.abs(t - window.toUs) <= edge) drag.current = { kind: 'edge', fixed: window.fromUs };
    else if (window && t > window.fromUs && t < window.toUs) drag.current = { kind: 'pan', grab: t, from: window.fromUs, to: window.toUs };
    else drag.current = { kind: 'new', anchor: t };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d) return;
    const t = instantAt(e);
    if (d.kind === 'pan') onWindow(clampWindow(domain, d.from + t - d.grab, d.to + t - d.grab));
    else {
      const anchor = d.kind === 'new' ? d.anchor : d.fixed;
      if (Math.abs(t - anchor) >= span * CLICK_SHARE) onWindow(clampWindow(domain, Math.min(t, anchor), Math.max(t, anchor)));
    }
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    drag.current = null;
    if (d?.kind !== 'new') return;
    const t = instantAt(e);
    // A click: centre the window there (a tenth of everything when nothing is zoomed yet).
    if (Math.abs(t - d.anchor) < span * CLICK_SHARE) {
      const width = window ? window.toUs - window.fromUs : span / 10;
      onWindow(clampWindow(domain, t - width / 2, t + width / 2));
    }
  };
  /** The window a key asks for, or undefined for a key that does nothing here. */
  const windowForKey = (key: string): TimeRange | null | undefined => {
    const width = shown.toUs - shown.fromUs;
    switch (key) {
      case 'ArrowLeft':
        return clampWindow(domain, shown.fromUs - width / 5, shown.toUs - width / 5);
      case 'ArrowRight':
        return clampWindow(domain, shown.fromUs + width / 5, shown.toUs + width / 5);
      case '+':
      case '=':
        return clampWindow(domain, shown.fromUs + width / 4, shown.toUs - width / 4);
      case '-':
        return clampWindow(domain, shown.fromUs - width / 2, shown.toUs + width / 2);
      case 'Escape':
        return null;
      default:
        return undefined;
    }
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const next = windowForKey(e.key);
    if (next === undefined) return;
    e.preventDefault();
    onWindow(next);
  };

  return (
    <div
      data-testid="lanes-overview"
      className="lanes-overview"
      style={{ height: Math.min(60, Math.max(24, height)) }}
      role="slider"
      tabIndex={0}
      aria-label="Time window of the lanes: drag to choose, arrow keys pan, + and - zoom, Escape shows everything"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(((shown.fromUs - domain.fromUs) / span) * 100)}
      aria-valuetext={window ? 'zoomed' : 'everything'}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={() => {
        drag.current = null;
      }}
      onKeyDown={onKeyDown}
    >
      <svg viewBox={`0 0 ${WIDTH} ${height}`} preserveAspectRatio="none" width="100%" height="100%" aria-hidden="true">
        <rect x={0} y={0} width={WIDTH} height={height} fill="var(--panel)" />
        {/* A lane is one path of its bars: the strip is decoration (aria-hidden), and a threshold
            change then updates a path a lane instead of adding and removing hundreds of rects. */}
        {rows.map((lane, i) => (
          <path key={lane.key} d={barsPath(lane.pieces, i * ROW + 0.5, ROW - 1)} fill={PALETTE.within} fillOpacity={0.6} />
        ))}
        {window && (
          <rect
            data-testid="lanes-brush"
            x={x(window.fromUs)}
            y={0}
            width={Math.max(2, x(window.toUs) - x(window.fromUs))}
            height={height}
            fill={PALETTE.accent}
            fillOpacity={0.18}
            stroke={PALETTE.accent}
            strokeWidth={2}
            vectorEffect="non-scaling-stroke"
            style={{ cursor: 'grab' }}
          />
        )}
      </svg>
    </div>
  );
}
