import type { SessionRules } from './rules';
import type { UserSessionRow } from './types';
import { zonedParts } from './zoned-time';

/*
 * Why a session starts where it does: which of the rules of rules.ts cut it from the one
 * before, worked out from the two sessions alone (the gap between them, the previous
 * session's start and size, their local days). The split-column rule needs the column's
 * values, which the timeline does not fetch: it is named when it is on and no other rule
 * explains the cut (a cut always has a reason, so it must be that one).
 */

export type BreakRule = 'first' | 'gap' | 'max-duration' | 'max-events' | 'midnight' | 'split-column';

export interface SessionBreak {
  rules: BreakRule[];
  /** The rules in words, e.g. "gap 55 min ≥ 30 min". */
  text: string;
}

const minutes = (us: number) => {
  const m = us / 60e6;
  return `${Number.isInteger(m) ? m : m.toFixed(m < 10 ? 2 : 1)} min`;
};

/** The rules that start `session`, given the user's session before it (none: the user's first). */
export function sessionBreak(session: UserSessionRow, previous: UserSessionRow | undefined, thresholdUs: number, rules: SessionRules): SessionBreak {
  if (!previous) return { rules: ['first'], text: "the user's first event" };
  const found: { rule: BreakRule; text: string }[] = [];
  const gap = session.startUs - previous.endUs;
  if (rules.boundary === 'ge' ? gap >= thresholdUs : gap > thresholdUs) {
    found.push({ rule: 'gap', text: `gap ${minutes(gap)} ${rules.boundary === 'ge' ? '≥' : '>'} ${minutes(thresholdUs)}` });
  }
  if (rules.maxDurationMinutes !== null && session.startUs - previous.startUs >= rules.maxDurationMinutes * 60e6) {
    found.push({ rule: 'max-duration', text: `the session reached its maximum length (${minutes(rules.maxDurationMinutes * 60e6)})` });
  }
  if (rules.maxEvents !== null && previous.eventCount >= rules.maxEvents) {
    found.push({ rule: 'max-events', text: `the session held its maximum of ${rules.maxEvents} events` });
  }
  const zone = rules.midnightTimeZone;
  if (zone !== null && zonedParts(session.startUs, zone).date > zonedParts(previous.endUs, zone).date) {
    found.push({ rule: 'midnight', text: `a new day in ${zone}` });
  }
  if (found.length === 0 && rules.splitColumn !== null) {
    found.push({ rule: 'split-column', text: `the value of ${rules.splitColumn} changed` });
  }
  if (found.length === 0) return { rules: [], text: 'no rule in force explains this cut' };
  return { rules: found.map((f) => f.rule), text: found.map((f) => f.text).join('; ') };
}

/** Each session's break, in the order given (the user's sessions in order). */
export function sessionBreaks(sessions: readonly UserSessionRow[], thresholdUs: number, rules: SessionRules): Map<number, SessionBreak> {
  const out = new Map<number, SessionBreak>();
  sessions.forEach((s, i) => {
    // The previous session by number: the list may start past session 1 (a long story is cut).
    const previous = sessions[i - 1]?.sessionNumber === s.sessionNumber - 1 ? sessions[i - 1] : undefined;
    out.set(s.sessionNumber, s.sessionNumber === 1 || previous ? sessionBreak(s, previous, thresholdUs, rules) : { rules: [], text: '' });
  });
  return out;
}
