import { minutesToUs, SLIDER_STEPS, sliderToMinutes } from './threshold';

/*
 * The thresholds at which the sessions-vs-threshold curve is computed: every fifth slider
 * position (201 values, each one a value the slider can take) plus the current threshold,
 * so the curve passes exactly through the figure on screen. Whole microseconds, sorted,
 * without duplicates.
 */

export const CURVE_EVERY_N_STEPS = 5;

export function curveThresholdsUs(currentMinutes?: number): number[] {
  const minutes: number[] = [];
  for (let p = 0; p <= SLIDER_STEPS; p += CURVE_EVERY_N_STEPS) minutes.push(sliderToMinutes(p));
  if (currentMinutes !== undefined && currentMinutes > 0) minutes.push(currentMinutes);
  return [...new Set(minutes.map(minutesToUs))].filter((us) => us > 0).sort((a, b) => a - b);
}
