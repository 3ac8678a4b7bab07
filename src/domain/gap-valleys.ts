import { formatDuration } from './format';

/*
 * The valleys of a gap histogram on a log scale, each a candidate threshold. Gaps between a
 * user's clicks mix several modes: double-fired clicks (under a second), clicks within a
 * visit (seconds to minutes), and the gaps between visits (an hour, a day, a week…). Every
 * valley between two neighbouring modes separates two kinds of gap; suggest-threshold.ts
 * decides which of them separates visits.
 *  1. take the log-spaced bins (10 a decade; the "< 0.1 s" and open last bins are left out),
 *  2. smooth the counts with a Gaussian kernel (σ = 1.5 bins, about a third of a decade),
 *  3. find the peaks and their prominence (height above the higher of the two lowest points
 *     separating it from a higher peak or the edge); a peak is noise when its prominence is
 *     under 0.2% of the highest peak or under twice the square root of its height (counts
 *     vary by about their square root),
 *  4. between each two neighbouring peaks, the lowest smoothed bin is a valley; its depth is
 *     its height over the smaller of the two peaks (0: empty, 1: no dip at all).
 */

export interface HistogramBin {
  lowUs: number;
  highUs: number | null;
  count: number;
}

export interface Peak {
  index: number;
  height: number;
  prominence: number;
}

export interface Valley {
  /** The valley's bin among the inner bins, and its middle (geometric) in minutes. */
  index: number;
  minutes: number;
  /** Smoothed height at the valley over the smaller neighbouring peak. */
  depth: number;
  /** Share of the gaps below the valley's bin. */
  below: number;
  /** The neighbouring modes, e.g. "around 20 s and 1 h 00 min". */
  modes: string;
}

const SIGMA_BINS = 1.5;
const NOISE_SHARE = 0.002;
const NOISE_SIGMAS = 2;

export function smoothCounts(counts: readonly number[], sigma = SIGMA_BINS): number[] {
  const radius = Math.ceil(3 * sigma);
  const weights = Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)));
  return counts.map((_, i) => {
    let sum = 0;
    let weight = 0;
    for (let j = -radius; j <= radius; j++) {
      const c = counts[i + j];
      const w = weights[j + radius] ?? 0;
      if (c === undefined) continue;
      sum += c * w;
      weight += w;
    }
    return weight > 0 ? sum / weight : 0;
  });
}

/** Local maxima of `values` with their topographic prominence, in index order. */
export function findPeaks(values: readonly number[]): Peak[] {
  const at = (i: number) => values[i] ?? -Infinity;
  const peaks: Peak[] = [];
  for (let i = 0; i < values.length; i++) {
    const h = at(i);
    if (!(h > 0 && h > at(i - 1) && h >= at(i + 1))) continue;
    const baseOnSide = (step: number): number => {
      let low = h;
      for (let j = i + step; j >= 0 && j < values.length && at(j) <= h; j += step) low = Math.min(low, at(j));
      return low;
    };
    // On the right a plateau of equal height belongs to this peak, not to a higher one.
    peaks.push({ index: i, height: h, prominence: h - Math.max(baseOnSide(-1), baseOnSide(1)) });
  }
  return peaks;
}

export const binMidUs = (bin: HistogramBin) => Math.sqrt(bin.lowUs * (bin.highUs ?? bin.lowUs));
export const around = (bin: HistogramBin | undefined) => (bin ? formatDuration(binMidUs(bin) / 1e6) : '?');

export interface GapModes {
  /** The bins with a finite, positive lower edge, in order. */
  inner: HistogramBin[];
  total: number;
  /** The peaks that are not noise, in order. */
  peaks: Peak[];
  /** The valley between each two neighbouring peaks, in order. */
  valleys: Valley[];
}

/** The modes of the gaps and the valleys between them. */
export function gapModes(bins: readonly HistogramBin[]): GapModes {
  const inner = bins.filter((b) => b.lowUs > 0 && b.highUs !== null);
  const total = inner.reduce((sum, b) => sum + b.count, 0);
  const smooth = smoothCounts(inner.map((b) => b.count));
  const highest = Math.max(0, ...smooth);
  const peaks = findPeaks(smooth).filter((p) => p.prominence >= Math.max(NOISE_SHARE * highest, NOISE_SIGMAS * Math.sqrt(p.height)));
  const valleys: Valley[] = [];
  let below = 0;
  let counted = 0;
  for (let k = 0; k + 1 < peaks.length; k++) {
    const a = peaks[k] as Peak;
    const b = peaks[k + 1] as Peak;
    let valley = a.index + 1;
    for (let i = a.index + 1; i < b.index; i++) if ((smooth[i] ?? 0) < (smooth[valley] ?? 0)) valley = i;
    const bin = inner[valley];
    if (!bin) continue;
    for (; counted < valley; counted++) below += inner[counted]?.count ?? 0;
    valleys.push({
      index: valley,
      minutes: binMidUs(bin) / 60e6,
      depth: (smooth[valley] ?? 0) / Math.min(a.height, b.height),
      below: total > 0 ? below / total : 0,
      modes: `around ${around(inner[a.index])} and ${around(inner[b.index])}`,
    });
  }
  return { inner, total, peaks, valleys };
}
