import { deriveSeed, hashSeed, Rng } from '../../scripts/clickstream-generator.mjs';

/*
 * Bursty clickstreams for the threshold suggestion: visits of ordinary clicks about 20 s
 * apart (log-normal), many of them fired twice 0.5-1 s apart (a double-fired handler, as in
 * real tag setups), visits separated by each user's rhythm (hourly, daily or weekly, with
 * jitter), and bots hitting at a fixed period around the clock. Gaps between visits are at
 * least `minVisitGapMinutes`, so the valley between visits lies between the longest click
 * gap and that: the tests check the suggestion lands there.
 */

export type VisitRhythm = 'hourly' | 'daily' | 'weekly';

export interface BurstyOptions {
  seed: number | string;
  /** Users of each rhythm. */
  users: Partial<Record<VisitRhythm, number>>;
  /** Bots and the period of their hits, in seconds. */
  bots?: { count: number; periodSeconds: number };
  /** Share of clicks fired twice; default 0.6. */
  doubleFire?: number;
  days?: number;
}

export interface BurstyEvent {
  user: string;
  ms: number;
}

const RHYTHM_MINUTES: Record<VisitRhythm, number> = { hourly: 60, daily: 24 * 60, weekly: 7 * 24 * 60 };
/** No visit starts sooner than this after the previous one ended. */
export const MIN_VISIT_GAP_MINUTES = 40;
/** The longest gap between two clicks of one visit. */
export const MAX_CLICK_GAP_SECONDS = 120;
const START_MS = Date.UTC(2024, 4, 1);

export function burstyEvents(options: BurstyOptions): BurstyEvent[] {
  const base = hashSeed(options.seed);
  const days = options.days ?? 28;
  const doubleFire = options.doubleFire ?? 0.6;
  const endMs = START_MS + days * 86_400_000;
  const events: BurstyEvent[] = [];
  let userIndex = 0;
  for (const rhythm of ['hourly', 'daily', 'weekly'] as const) {
    for (let u = 0; u < (options.users[rhythm] ?? 0); u++) {
      const rng = new Rng(deriveSeed(base, 1, userIndex));
      const user = `${rhythm}-${String(++userIndex).padStart(4, '0')}`;
      let t = START_MS + rng.next() * RHYTHM_MINUTES[rhythm] * 60_000;
      while (t < endMs) {
        const clicks = 1 + Math.floor(rng.logNormal(8, 0.6));
        for (let c = 0; c < clicks; c++) {
          if (c > 0) t += Math.min(MAX_CLICK_GAP_SECONDS, rng.logNormal(20, 0.6)) * 1000;
          events.push({ user, ms: Math.round(t) });
          if (rng.next() < doubleFire) events.push({ user, ms: Math.round(t + 500 + rng.next() * 500) });
          t += 1000;
        }
        const next = RHYTHM_MINUTES[rhythm] * rng.logNormal(1, 0.35);
        t += Math.max(MIN_VISIT_GAP_MINUTES, next) * 60_000;
      }
    }
  }
  for (let b = 0; b < (options.bots?.count ?? 0); b++) {
    const rng = new Rng(deriveSeed(base, 2, b));
    const period = (options.bots?.periodSeconds ?? 60) * 1000;
    for (let t = START_MS + rng.next() * period; t < endMs; t += period * (1 + (rng.next() - 0.5) * 0.02))
      events.push({ user: `bot-${b + 1}`, ms: Math.round(t) });
  }
  return events.sort((a, b) => a.ms - b.ms || (a.user < b.user ? -1 : a.user > b.user ? 1 : 0));
}

/** The events as a CSV file (user_id, timestamp in ISO 8601 UTC with milliseconds, url). */
export function burstyCsv(events: readonly BurstyEvent[]): string {
  return `user_id,timestamp,url\n${events.map((e) => `${e.user},${new Date(e.ms).toISOString()},/p`).join('\n')}\n`;
}
