import { formatMinutes, formatShare } from './format';
import { around, gapModes, type HistogramBin, type Valley } from './gap-valleys';
import { MAX_GAP_MINUTES, MIN_GAP_MINUTES, niceMinutes } from './threshold';

export { findPeaks, smoothCounts, type HistogramBin, type Peak } from './gap-valleys';

/*
 * A threshold suggested by the data: the valley of the gap histogram that separates visits
 * (gap-valleys.ts finds every valley between two modes). Bursty data have several: double
 * fired clicks (0.5-1 s) against ordinary clicks (20 s) make a deep valley near 6 s that
 * splits every visit, and hourly against daily visitors one near 4 h that joins visits.
 * Each valley that dips to at most 80% of its smaller mode is weighed by
 *  - its depth (1 - depth),
 *  - how plausible it is for a gap between visits: 1 from 5 min to 4 h, falling off as a
 *    Gaussian of σ = half a decade outside (6 s weighs 0.3%, 1.5 min 58%),
 *  - what it does to the sessions (when the page has measured them): 1 - the share of
 *    single-event sessions it makes,
 *  - how flat the sessions-vs-threshold curve is around it: the range of thresholds where
 *    the count stays within 5% of the count at the valley, as a share of half a decade
 *    (at least 0.2).
 * Of the valleys weighing at least half the best, the shortest wins: one above it separates
 * kinds of visit (hourly from daily visitors), not a visit from the next.
 * The suggestion is clear when its valley is at most half its smaller mode, each side holds
 * at least 2% of the gaps and it lies in the band (to a third of a decade); weak otherwise.
 * A valley that makes most sessions single-event is never suggested; when no valley is
 * left, or none dips enough, there is no suggestion (minutes null, confidence 'none').
 */

export type SuggestionConfidence = 'clear' | 'weak' | 'none';

export interface FlatRange {
  fromMinutes: number;
  toMinutes: number;
}

export interface ThresholdSuggestion {
  /** Minutes (rounded for people, within the slider's range); null when the data have no clear answer. */
  minutes: number | null;
  confidence: SuggestionConfidence;
  explanation: string;
  /** What the suggestion does to the sessions, and the valleys passed over; null when there is nothing to say. */
  details: string | null;
  /** The thresholds around the suggestion where the session count stays within 5% of its count there. */
  flatRange: FlatRange | null;
}

/** Session figures by the gap rule alone at one threshold. */
export interface SessionShape {
  sessions: number;
  singleEventShare: number;
}

export interface SessionEvidence {
  users: number;
  /** Figures at each of candidateMinutes(bins). */
  at: ReadonlyMap<number, SessionShape>;
  /** Sessions for thresholds across the slider (thresholdCurve's points), in threshold order. */
  curve: readonly { thresholdMinutes: number; sessions: number }[];
}

export const MIN_GAPS_FOR_SUGGESTION = 50;
export const VISIT_BAND_MINUTES = { from: 5, to: 240 } as const;
const BAND_FALLOFF_DECADES = 0.5;
const IN_BAND = 0.8;
const CLEAR_DEPTH = 0.5;
const WEAK_DEPTH = 0.8;
const MIN_SIDE_SHARE = 0.02;
const MOSTLY_SINGLE = 0.5;
const FLAT_TOLERANCE = 0.05;
const FLAT_FULL_DECADES = 0.5;
const RIVAL_SHARE = 0.5;

const BAND_TEXT = `${formatMinutes(VISIT_BAND_MINUTES.from)} – ${formatMinutes(VISIT_BAND_MINUTES.to)}`;

/** A valley's threshold: rounded for people, inside the slider's range. */
const thresholdOf = (v: Valley) => niceMinutes(Math.min(MAX_GAP_MINUTES, Math.max(MIN_GAP_MINUTES, v.minutes)));

/** 1 inside the band of usual gaps between visits, falling off outside it. */
export function visitPlausibility(minutes: number): number {
  const outside = Math.max(0, Math.log10(VISIT_BAND_MINUTES.from / minutes), Math.log10(minutes / VISIT_BAND_MINUTES.to));
  return Math.exp(-0.5 * (outside / BAND_FALLOFF_DECADES) ** 2);
}

/** The thresholds whose session figures suggestThreshold weighs. */
export function candidateMinutes(bins: readonly HistogramBin[]): number[] {
  return [
    ...new Set(
      gapModes(bins)
        .valleys.filter((v) => v.depth <= WEAK_DEPTH)
        .map(thresholdOf),
    ),
  ];
}

/** Sessions by threshold from the histogram alone (each bin's lower edge; users unknown, so counted as 0). */
function curveFromBins(inner: readonly HistogramBin[]): { thresholdMinutes: number; sessions: number }[] {
  let above = 0;
  const points: { thresholdMinutes: number; sessions: number }[] = [];
  for (let i = inner.length - 1; i >= 0; i--) {
    const bin = inner[i] as HistogramBin;
    above += bin.count;
    points.push({ thresholdMinutes: bin.lowUs / 60e6, sessions: above });
  }
  return points.reverse();
}

/** The widest run of curve points around `minutes` whose session count stays within 5% of `sessions`. */
export function flatRange(curve: SessionEvidence['curve'], minutes: number, sessions?: number): FlatRange | null {
  if (curve.length === 0) return null;
  let at = 0;
  curve.forEach((p, i) => {
    if (Math.abs(Math.log(p.thresholdMinutes / minutes)) < Math.abs(Math.log((curve[at]?.thresholdMinutes ?? 1) / minutes))) at = i;
  });
  const count = sessions ?? curve[at]?.sessions ?? 0;
  let low = at;
  while (low > 0 && (curve[low - 1]?.sessions ?? Infinity) <= count * (1 + FLAT_TOLERANCE)) low--;
  let high = at;
  while (high < curve.length - 1 && (curve[high + 1]?.sessions ?? -Infinity) >= count * (1 - FLAT_TOLERANCE)) high++;
  const tidy = (m: number) => Number(m.toPrecision(12));
  return {
    fromMinutes: tidy(Math.min(minutes, curve[low]?.thresholdMinutes ?? minutes)),
    toMinutes: tidy(Math.max(minutes, curve[high]?.thresholdMinutes ?? minutes)),
  };
}

interface Weighed {
  valley: Valley;
  minutes: number;
  plausibility: number;
  shape: SessionShape | null;
  flat: FlatRange | null;
  score: number;
}

function weigh(valley: Valley, curve: SessionEvidence['curve'], evidence: SessionEvidence | undefined): Weighed {
  const minutes = thresholdOf(valley);
  const plausibility = visitPlausibility(valley.minutes);
  const shape = evidence?.at.get(minutes) ?? null;
  const flat = flatRange(curve, minutes, shape?.sessions);
  const flatDecades = flat ? Math.log10(flat.toMinutes / flat.fromMinutes) : 0;
  const flatness = Math.max(0.2, Math.min(1, flatDecades / FLAT_FULL_DECADES));
  const score = (1 - valley.depth) * plausibility * (1 - (shape?.singleEventShare ?? 0)) * flatness;
  return { valley, minutes, plausibility, shape, flat, score };
}

const none = (explanation: string): ThresholdSuggestion => ({ minutes: null, confidence: 'none', explanation, details: null, flatRange: null });

/** What a candidate does to the sessions, in a few words. */
function shapeText(w: Weighed, users: number | undefined): string {
  if (!w.shape) return '';
  const perUser = users ? ` (${(w.shape.sessions / users).toLocaleString('en-US', { maximumFractionDigits: 1 })} a user)` : '';
  return `${w.shape.sessions.toLocaleString('en-US')} sessions${perUser}, ${formatShare(w.shape.singleEventShare)} of them single-event`;
}

function passedOver(w: Weighed, users: number | undefined): string {
  const why = [
    w.plausibility < IN_BAND ? `outside ${BAND_TEXT}` : null,
    w.shape ? shapeText(w, users) : null,
    w.valley.depth > CLEAR_DEPTH ? 'shallow' : null,
  ].filter((x) => x !== null);
  return `${formatMinutes(w.minutes)} (between the modes ${w.valley.modes}${why.length ? `: ${why.join('; ')}` : ''})`;
}

/** A threshold from a gap histogram (e.g. gapHistogramSql's rows), weighed by the sessions each candidate makes when `evidence` is given. */
export function suggestThreshold(bins: readonly HistogramBin[], evidence?: SessionEvidence): ThresholdSuggestion {
  const { inner, total, peaks, valleys } = gapModes(bins);
  if (total < MIN_GAPS_FOR_SUGGESTION) {
    return none(`Only ${total} gaps between clicks of the same user: too few to find a valley between visits, so the data do not suggest a threshold.`);
  }
  if (peaks.length < 2) {
    const [mode] = [...peaks].sort((a, b) => b.height - a.height);
    return none(
      `The gaps between clicks have a single mode (around ${around(inner[mode?.index ?? 0])}) and no valley after it, so the data do not suggest a threshold: choose one from what a visit means for this site.`,
    );
  }
  const eligible = valleys.filter((v) => v.depth <= WEAK_DEPTH);
  if (eligible.length === 0) {
    const deepest = [...valleys].sort((a, b) => a.depth - b.depth)[0];
    return none(
      `The gaps between clicks have no clear valley: the dip between the modes ${deepest?.modes ?? ''} is only ${formatShare(1 - (deepest?.depth ?? 1))} below the smaller one, so the data do not suggest a threshold.`,
    );
  }
  const curve = evidence?.curve.length ? evidence.curve : curveFromBins(inner);
  const weighed = eligible.map((v) => weigh(v, curve, evidence));
  const users = evidence?.users;
  // A valley that makes most sessions single-event splits visits, however deep it is.
  const usable = weighed.filter((w) => (w.shape?.singleEventShare ?? 0) <= MOSTLY_SINGLE);
  if (usable.length === 0) {
    const what = weighed.map(
      (w) => `${formatMinutes(w.minutes)} (between the modes ${w.valley.modes}) would make ${formatShare(w.shape?.singleEventShare ?? 0)}`,
    );
    return none(
      `The data have no clear answer: ${weighed.length === 1 ? 'the only valley in the gaps between clicks, at ' : 'the valleys in the gaps between clicks, at '}${what.join('; ')} of the sessions single-event, so ${weighed.length === 1 ? 'it splits' : 'they split'} the clicks of a visit rather than separating visits. Choose a threshold from what a visit means for this site.`,
    );
  }
  const best = Math.max(...usable.map((w) => w.score));
  const chosen = usable.find((w) => w.score >= RIVAL_SHARE * best) ?? (usable[0] as Weighed);
  const others = weighed.filter((w) => w !== chosen);
  const { valley, minutes } = chosen;
  const othersText = others.length ? ` Passed over: ${others.map((w) => passedOver(w, users)).join('; ')}.` : '';
  const sideShare = Math.min(valley.below, 1 - valley.below);
  const clamped = minutes !== niceMinutes(valley.minutes) ? ` (the valley itself, at ${formatMinutes(valley.minutes)}, is outside the slider's range)` : '';
  const weakReasons = [
    valley.depth > CLEAR_DEPTH ? `it is shallow (${formatShare(valley.depth)} of the smaller mode's height)` : null,
    sideShare < MIN_SIDE_SHARE ? `only ${formatShare(sideShare)} of the gaps lie on one side of it` : null,
    chosen.plausibility < IN_BAND
      ? `it lies outside ${BAND_TEXT}, where gaps between visits usually lie, so it may split visits or join them rather than separate them`
      : null,
  ].filter((x) => x !== null);
  const clear = weakReasons.length === 0;
  const why = clear
    ? `it holds ${formatShare(valley.depth)} as many gaps as the smaller mode, a clear separation`
    : `${weakReasons.join('; ')}, so the separation is weak`;
  const flat = chosen.flat;
  const shapeSentence = chosen.shape ? `At ${formatMinutes(minutes)}: ${shapeText(chosen, users)}.` : '';
  const flatSentence = flat
    ? ` The session count stays within ${formatShare(FLAT_TOLERANCE)} of that from ${formatMinutes(flat.fromMinutes)} to ${formatMinutes(flat.toMinutes)}.`
    : '';
  const details = `${shapeSentence}${flatSentence}${othersText}`.trim();
  return {
    minutes,
    confidence: clear ? 'clear' : 'weak',
    explanation: `${formatMinutes(minutes)} is the deepest point of the valley between the modes of the gaps between clicks ${valley.modes}${clamped}; ${why}.`,
    details: details || null,
    flatRange: flat,
  };
}
