/*
 * The threshold slider is logarithmic: gaps between clicks span seconds to days, and a
 * linear slider would spend nearly all of its travel on multi-day values. 1000 steps
 * from 6 seconds to 7 days give about 1.3% per step; the minutes input takes any value.
 */

export const MIN_GAP_MINUTES = 0.1;
export const MAX_GAP_MINUTES = 7 * 24 * 60;
export const DEFAULT_GAP_MINUTES = 30;
export const SLIDER_STEPS = 1000;

const LOG_MIN = Math.log(MIN_GAP_MINUTES);
const LOG_SPAN = Math.log(MAX_GAP_MINUTES) - LOG_MIN;

/** Rounds to a value a person would type: 3 significant digits, whole minutes from 100 up. */
export function niceMinutes(minutes: number): number {
  if (minutes >= 100) return Math.round(minutes);
  return Number(minutes.toPrecision(3));
}

export function sliderToMinutes(position: number): number {
  const clamped = Math.min(SLIDER_STEPS, Math.max(0, position));
  return niceMinutes(Math.exp(LOG_MIN + (clamped / SLIDER_STEPS) * LOG_SPAN));
}

export function minutesToSlider(minutes: number): number {
  const clamped = Math.min(MAX_GAP_MINUTES, Math.max(MIN_GAP_MINUTES, minutes));
  return Math.round(((Math.log(clamped) - LOG_MIN) / LOG_SPAN) * SLIDER_STEPS);
}

/** A threshold from user text (input or `?gap=`), or an explanation of what is expected. */
export function parseGapMinutes(text: string): { ok: true; minutes: number } | { ok: false; problem: string } {
  const trimmed = text.trim();
  const minutes = Number(trimmed);
  if (trimmed === '' || !Number.isFinite(minutes)) {
    return { ok: false, problem: `"${text}" is not a number of minutes` };
  }
  // At least one microsecond: the rule needs a positive threshold.
  if (minutes * 60_000_000 < 1) return { ok: false, problem: 'the threshold must be greater than zero' };
  if (minutes > 366 * 24 * 60) return { ok: false, problem: 'the threshold must be at most a year (527040 minutes)' };
  return { ok: true, minutes };
}

/** Whole microseconds for a threshold in minutes. */
export function minutesToUs(minutes: number): number {
  return Math.round(minutes * 60_000_000);
}
