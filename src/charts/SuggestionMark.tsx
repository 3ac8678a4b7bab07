import { formatMinutes } from '../domain/format';
import type { FlatRange } from '../domain/suggest-threshold';
import { PALETTE, type PlotInset } from './chart-common';

export interface SuggestionMarkProps {
  /** The suggested threshold and the curve's flat range around it (null: none). */
  minutes: number;
  flatRange: FlatRange | null;
  /** Where a threshold in minutes falls across the plot, 0 (left edge) to 1 (right edge). */
  fractionOf: (minutes: number) => number;
  inset: PlotInset;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
const across = (inset: PlotInset, fraction: number) => `calc(${inset.left}px + (100% - ${inset.left + inset.right}px) * ${fraction})`;

/**
 * The suggested threshold over a chart: a shaded band where the session count stays within
 * 5% (the sessions curve's flat range) and a dotted line at the suggestion, labelled at the
 * foot of the plot so it does not cover the current threshold's label. HTML over the SVG,
 * like ThresholdMark, so it costs nothing when the threshold moves.
 */
export function SuggestionMark({ minutes, flatRange, fractionOf, inset }: SuggestionMarkProps) {
  const at = fractionOf(minutes);
  const from = flatRange ? clamp01(fractionOf(flatRange.fromMinutes)) : null;
  const to = flatRange ? clamp01(fractionOf(flatRange.toMinutes)) : null;
  return (
    <>
      {from !== null && to !== null && flatRange && (
        <div
          data-testid="flat-range"
          data-from={String(flatRange.fromMinutes)}
          data-to={String(flatRange.toMinutes)}
          aria-hidden="true"
          style={{
            position: 'absolute',
            left: across(inset, from),
            width: `calc((100% - ${inset.left + inset.right}px) * ${Math.max(0, to - from)})`,
            top: inset.top,
            bottom: inset.bottom,
            background: `color-mix(in srgb, ${PALETTE.second} 14%, transparent)`,
            pointerEvents: 'none',
          }}
        />
      )}
      {at >= 0 && at <= 1 && (
        <div
          data-testid="suggestion-mark"
          data-minutes={String(minutes)}
          aria-hidden="true"
          style={{
            position: 'absolute',
            left: across(inset, at),
            top: inset.top,
            bottom: inset.bottom,
            width: 0,
            marginLeft: -1,
            borderLeft: `2px dotted ${PALETTE.second}`,
            pointerEvents: 'none',
          }}
        >
          <span style={{ position: 'absolute', left: 4, bottom: 2, fontSize: 12, whiteSpace: 'nowrap', color: PALETTE.ink, background: PALETTE.background }}>
            suggested {formatMinutes(minutes)}
          </span>
        </div>
      )}
    </>
  );
}
