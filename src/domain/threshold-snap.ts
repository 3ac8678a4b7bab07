import { MAX_GAP_MINUTES, MIN_GAP_MINUTES } from './threshold';

/*
 * The thresholds people report and analytics products use, which a slider drag snaps to:
 * a log-scale slider lands on 54.6 or 71.1 min otherwise, values nobody would choose or
 * cite. The range's ends (6 s, 7 d) are included so that the whole range stays reachable.
 * A fine drag (Shift or Alt held) and the arrow keys step without snapping.
 */
export const SNAP_MINUTES: readonly number[] = [MIN_GAP_MINUTES, 0.5, 1, 2, 5, 10, 15, 20, 30, 45, 60, 120, 240, 480, 720, 1440, 2880, MAX_GAP_MINUTES];

/** The snap value nearest `minutes` on the log scale (the slider's own scale). */
export function snapMinutes(minutes: number): number {
  let best = SNAP_MINUTES[0] ?? MIN_GAP_MINUTES;
  for (const value of SNAP_MINUTES) {
    if (Math.abs(Math.log(value / minutes)) < Math.abs(Math.log(best / minutes))) best = value;
  }
  return best;
}

/** The next snap value above (direction 1) or below (-1) `minutes`, or `minutes` at the end. */
export function nextSnap(minutes: number, direction: 1 | -1): number {
  // A value within 0.1% of a snap value counts as on it, so a step leaves it.
  const beyond = (v: number) => (direction === 1 ? v > minutes * 1.001 : v < minutes / 1.001);
  const candidates = SNAP_MINUTES.filter(beyond);
  const next = direction === 1 ? candidates[0] : candidates[candidates.length - 1];
  return next ?? minutes;
}
