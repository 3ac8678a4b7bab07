import { formatDuration, formatMinutes, formatShare } from './format';
import { MAX_GAP_MINUTES, MIN_GAP_MINUTES, niceMinutes } from './threshold';

/*
 * A threshold suggested by the data. Gaps between a user's clicks are usually bimodal on a
 * log scale: short gaps within a visit (seconds to minutes) and long gaps between visits
 * (hours to days). The suggestion is the deepest point of the valley between those modes:
 *  1. take the log-spaced bins (10 a decade; the "< 0.1 s" and open last bins are left out),
 *  2. smooth the counts with a Gaussian kernel (σ = 1.5 bins, about a third of a decade),
 *  3. find the peaks and their prominence (height above the higher of the two lowest points
 *     separating it from a higher peak or the edge); a peak is noise when its prominence is
 *     under 1% of the highest peak or under twice the square root of its height (counts
 *     vary by about their square root),
 *  4. take the two most prominent peaks and the lowest smoothed bin between them,
 *  5. clear when that valley is at most half the smaller peak and each side holds at least
 *     2% of the gaps; weak when the valley is at most 80% of the smaller peak; otherwise none.
 */

export interface HistogramBin {
  lowUs: number;
  highUs: number | null;
  count: number;
}

export type SuggestionConfidence = 'clear' | 'weak' | 'none';

export interface ThresholdSuggestion {
  /** Minutes (rounded for people, within the slider's range); null when there is no valley. */
  minutes: number | null;
  confidence: SuggestionConfidence;
  explanation: string;
}

export const MIN_GAPS_FOR_SUGGESTION = 50;
const SIGMA_BINS = 1.5;
const NOISE_SHARE = 0.01;
const NOISE_SIGMAS = 2;
const CLEAR_DEPTH = 0.5;
const WEAK_DEPTH = 0.8;
const MIN_SIDE_SHARE = 0.02;

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

export interface Peak {
  index: number;
  height: number;
  prominence: number;
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

const binMidUs = (bin: HistogramBin) => Math.sqrt(bin.lowUs * (bin.highUs ?? bin.lowUs));
const around = (bin: HistogramBin | undefined) => (bin ? formatDuration(binMidUs(bin) / 1e6) : '?');

/** A threshold from a gap histogram (e.g. gapHistogramSql's rows). */
export function suggestThreshold(bins: readonly HistogramBin[]): ThresholdSuggestion {
  const inner = bins.filter((b) => b.lowUs > 0 && b.highUs !== null);
  const total = inner.reduce((sum, b) => sum + b.count, 0);
  if (total < MIN_GAPS_FOR_SUGGESTION) {
    return {
      minutes: null,
      confidence: 'none',
      explanation: `Only ${total} gaps between clicks of the same user: too few to find a valley between visits, so the data do not suggest a threshold.`,
    };
  }
  const smooth = smoothCounts(inner.map((b) => b.count));
  const highest = Math.max(...smooth);
  const peaks = findPeaks(smooth).filter((p) => p.prominence >= Math.max(NOISE_SHARE * highest, NOISE_SIGMAS * Math.sqrt(p.height)));
  const [first, second] = [...peaks].sort((a, b) => b.prominence - a.prominence);
  if (!first || !second) {
    return {
      minutes: null,
      confidence: 'none',
      explanation: `The gaps between clicks have a single mode (around ${around(inner[first?.index ?? 0])}) and no valley after it, so the data do not suggest a threshold: choose one from what a visit means for this site.`,
    };
  }
  const [a, b] = first.index < second.index ? [first, second] : [second, first];
  let valley = a.index + 1;
  for (let i = a.index + 1; i < b.index; i++) if ((smooth[i] ?? 0) < (smooth[valley] ?? 0)) valley = i;
  const valleyBin = inner[valley];
  const depth = (smooth[valley] ?? 0) / Math.min(a.height, b.height);
  const below = inner.slice(0, valley).reduce((sum, x) => sum + x.count, 0) / total;
  const sideShare = Math.min(below, 1 - below);
  const modes = `around ${around(inner[a.index])} and ${around(inner[b.index])}`;
  if (!valleyBin || depth > WEAK_DEPTH) {
    return {
      minutes: null,
      confidence: 'none',
      explanation: `The gaps between clicks have no clear valley: the dip between the modes ${modes} is only ${formatShare(1 - depth)} below the smaller one, so the data do not suggest a threshold.`,
    };
  }
  const raw = binMidUs(valleyBin) / 60e6;
  const minutes = niceMinutes(Math.min(MAX_GAP_MINUTES, Math.max(MIN_GAP_MINUTES, raw)));
  const clamped = minutes !== niceMinutes(raw) ? ` (the valley itself, at ${formatMinutes(raw)}, is outside the slider's range)` : '';
  const clear = depth <= CLEAR_DEPTH && sideShare >= MIN_SIDE_SHARE;
  const why = clear
    ? `it holds ${formatShare(depth)} as many gaps as the smaller mode, a clear separation`
    : depth > CLEAR_DEPTH
      ? `it is shallow (${formatShare(depth)} of the smaller mode's height), so the separation is weak`
      : `only ${formatShare(sideShare)} of the gaps lie on one side of it, so the separation is weak`;
  return {
    minutes,
    confidence: clear ? 'clear' : 'weak',
    explanation: `${formatMinutes(minutes)} is the deepest point of the valley between the two modes of the gaps between clicks, ${modes}${clamped}; ${why}.`,
  };
}
