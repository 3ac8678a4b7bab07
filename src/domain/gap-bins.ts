import { countAtMost } from './sorted-search';

/*
 * Log-spaced bins for gaps between clicks (and session durations), shared by the SQL that
 * counts them and the code that draws and reads them. Edges are whole microseconds, so a
 * gap, a threshold and an edge compare exactly, in SQL as in TypeScript:
 *   bin 0                  [0, E0)            "< 0.1 s" (equal timestamps included)
 *   bin k, 1 <= k <= N-1   [E(k-1), E(k))
 *   bin N                  [E(N-1), ∞)        "≥ 29 d"
 * with E(j) = 10^(5 + j/10) µs rounded to 3 significant digits: 10 bins a decade from
 * 0.1 s to 29 days, N = 75 edges, 76 bins.
 */

export const GAP_BINS_PER_DECADE = 10;
/** log10 of the first edge in microseconds (0.1 s). */
const FIRST_EDGE_LOG10_US = 5;
/** log10 of the last edge in microseconds (about 29 days). */
const LAST_EDGE_LOG10_US = 12.4;

export interface GapBin {
  bin: number;
  /** Inclusive lower edge in µs (0 for the first bin). */
  lowUs: number;
  /** Exclusive upper edge in µs, null for the last (open) bin. */
  highUs: number | null;
}

function computeEdges(): readonly number[] {
  const count = Math.round((LAST_EDGE_LOG10_US - FIRST_EDGE_LOG10_US) * GAP_BINS_PER_DECADE) + 1;
  return Object.freeze(Array.from({ length: count }, (_, j) => Number((10 ** (FIRST_EDGE_LOG10_US + j / GAP_BINS_PER_DECADE)).toPrecision(3))));
}

const EDGES = computeEdges();

/** The bin edges in whole microseconds, strictly increasing. */
export function gapBinEdges(): readonly number[] {
  return EDGES;
}

/** Every bin, in order, with its edges. */
export function gapBins(): GapBin[] {
  return Array.from({ length: EDGES.length + 1 }, (_, bin) => ({
    bin,
    lowUs: bin === 0 ? 0 : (EDGES[bin - 1] ?? 0),
    highUs: EDGES[bin] ?? null,
  }));
}

/** The bin of a gap (or duration) in µs: the number of edges at or below it. */
export function gapBinOf(gapUs: number): number {
  return countAtMost(EDGES, gapUs);
}

/**
 * A position on a continuous axis where bin k is centred on k and has width 1: the edge
 * E(j) sits at j + 0.5. Used to draw a threshold line among the bars.
 */
export function gapAxisPosition(us: number): number {
  if (us <= 0) return -0.5;
  return (Math.log10(us) - FIRST_EDGE_LOG10_US) * GAP_BINS_PER_DECADE + 0.5;
}

/** Inverse of gapAxisPosition, in µs. */
export function gapAxisToUs(position: number): number {
  return 10 ** (FIRST_EDGE_LOG10_US + (position - 0.5) / GAP_BINS_PER_DECADE);
}
