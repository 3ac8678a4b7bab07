/*
 * An independent reference for the further session rules (src/domain/rules.ts), written
 * the obvious way: group by user, sort by (time, row), walk the events. Local days come
 * from Intl's formatted date, not from the app's midnight computation.
 */

export interface RuleEvent {
  row: number;
  user: string;
  tsUs: number;
  /** The split column's text; '' or whitespace = empty. */
  split: string;
}

export interface ReferenceRules {
  thresholdUs: number;
  boundary: 'ge' | 'gt';
  maxDurationUs: number | null;
  maxEvents: number | null;
  timeZone: string | null;
  split: boolean;
}

function localDate(timeZone: string, us: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Math.floor(us / 1000)));
}

/** session_id of every event, by row. */
export function referenceRuleSessions(events: readonly RuleEvent[], rules: ReferenceRules): Map<number, string> {
  const byUser = new Map<string, RuleEvent[]>();
  for (const e of events) byUser.set(e.user, [...(byUser.get(e.user) ?? []), e]);
  const ids = new Map<number, string>();
  for (const [user, list] of byUser) {
    list.sort((a, b) => a.tsUs - b.tsUs || a.row - b.row);
    let n = 0;
    let start = 0;
    let count = 0;
    let last: string | null = null;
    list.forEach((e, i) => {
      const prev = list[i - 1];
      const value = e.split.trim() === '' ? null : e.split;
      let cut = prev === undefined;
      if (prev) {
        const gap = e.tsUs - prev.tsUs;
        if (rules.boundary === 'ge' ? gap >= rules.thresholdUs : gap > rules.thresholdUs) cut = true;
        if (rules.maxDurationUs !== null && e.tsUs - start >= rules.maxDurationUs) cut = true;
        if (rules.maxEvents !== null && count >= rules.maxEvents) cut = true;
        if (rules.timeZone !== null && localDate(rules.timeZone, e.tsUs) > localDate(rules.timeZone, prev.tsUs)) cut = true;
        if (rules.split && value !== null && last !== null && value !== last) cut = true;
      }
      if (cut) {
        n++;
        start = e.tsUs;
        count = 0;
        last = null;
      }
      count++;
      if (value !== null) last = value;
      ids.set(e.row, `${user}-${n}`);
    });
  }
  return ids;
}
