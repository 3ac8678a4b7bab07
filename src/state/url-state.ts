import { DEFAULT_GAP_MINUTES, parseGapMinutes } from '../domain/threshold';

/** The threshold from `?gap=MINUTES`, the default without one, and a problem for a bad one. */
export function initialGapFromUrl(search: string): { minutes: number; problem: string | null } {
  const gap = new URLSearchParams(search).get('gap');
  if (gap === null) return { minutes: DEFAULT_GAP_MINUTES, problem: null };
  const parsed = parseGapMinutes(gap);
  if (parsed.ok) return { minutes: parsed.minutes, problem: null };
  return { minutes: DEFAULT_GAP_MINUTES, problem: `?gap=${gap} in the address was ignored: ${parsed.problem}. Using ${DEFAULT_GAP_MINUTES} minutes.` };
}

let pendingGap: ReturnType<typeof setTimeout> | null = null;

/**
 * Keeps `?gap=` in the address in step with the threshold, so a link reproduces the view.
 * Written once the threshold rests for a moment: replaceState costs milliseconds, too many
 * for every step of a slider drag.
 */
export function writeGapToUrl(minutes: number, delayMs = 250): void {
  if (pendingGap !== null) clearTimeout(pendingGap);
  pendingGap = setTimeout(() => {
    pendingGap = null;
    const url = new URL(window.location.href);
    if (url.searchParams.get('gap') === String(minutes)) return;
    url.searchParams.set('gap', String(minutes));
    window.history.replaceState(null, '', url);
  }, delayMs);
}
