import { SKIP_REASONS, type DatasetFigures, type SkippedCount, type SkipReason } from './types';

/*
 * Every row accounted for (README): rows read = events + skipped. The three are counted
 * apart: the reader counts the records it saw, the events are the rows of the events table
 * (or the quick read's columns), and skipped rows are counted by reason where they are met.
 * Skipped is never rows read less events: then the check could not fail.
 */

/** The counts of the rows that made no event, as the page lists them: most first, then by reason; none of 0. */
export function skippedCounts(counted: Record<SkipReason, number>): { reason: SkipReason; count: number }[] {
  return SKIP_REASONS.map((reason) => ({ reason, count: counted[reason] }))
    .filter((r) => r.count > 0)
    .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
}

/** Skipped rows by reason, as the page lists them: the reader's malformed lines first, then skippedCounts. */
export function skippedByReason(malformed: number, counted: Record<SkipReason, number>): SkippedCount[] {
  const rows = skippedCounts(counted);
  return malformed > 0 ? [{ reason: 'malformed line', count: malformed }, ...rows] : rows;
}

/** Skipped rows: the sum of the counts by reason. */
export function skippedTotal(byReason: readonly Pick<SkippedCount, 'count'>[]): number {
  return byReason.reduce((sum, r) => sum + r.count, 0);
}

/** The figures with skipped made the sum of the counts by reason. */
export function countedFigures(counted: Omit<DatasetFigures, 'skipped'>, byReason: readonly SkippedCount[]): DatasetFigures {
  return { ...counted, skipped: skippedTotal(byReason) };
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * Null when rows read = events + skipped and skipped is the sum of the counts by reason;
 * otherwise the problem with the numbers, for an error the page shows (a mismatch is a bug).
 */
export function checkRowsAddUp(figures: Pick<DatasetFigures, 'rowsRead' | 'events' | 'skipped'>, byReason: readonly SkippedCount[]): string | null {
  const { rowsRead, events, skipped } = figures;
  const counted = skippedTotal(byReason);
  if (skipped !== counted) {
    const reasons = byReason.map((r) => `${count(r.count)} ${r.reason}`).join(', ');
    return `skipped rows do not add up: ${count(skipped)} skipped, but ${count(counted)} counted by reason${reasons ? ` (${reasons})` : ''}`;
  }
  const difference = rowsRead - events - skipped;
  if (difference === 0) return null;
  const off = difference > 0 ? `${count(difference)} unaccounted for` : `${count(-difference)} more than read`;
  return `rows do not add up: ${count(rowsRead)} ${rowsRead === 1 ? 'row' : 'rows'} read, ${count(events)} ${events === 1 ? 'event' : 'events'} and ${count(skipped)} skipped (${off})`;
}
