import { describe, expect, it } from 'vitest';
import { checkRowsAddUp, countedFigures, skippedTotal } from './rows-add-up';
import type { SkippedCount } from './types';

const byReason: SkippedCount[] = [
  { reason: 'missing user id', count: 5 },
  { reason: 'malformed line', count: 3 },
];
const figures = (rowsRead: number, events: number, skipped: number) => ({ rowsRead, events, skipped });

describe('rows read = events + skipped, each counted on its own', () => {
  it('skipped is the sum of the counts by reason', () => {
    expect(skippedTotal(byReason)).toBe(8);
    expect(skippedTotal([])).toBe(0);
    expect(countedFigures({ rowsRead: 1000, events: 992, users: 3, firstEventUs: 1, lastEventUs: 2 }, byReason).skipped).toBe(8);
  });

  it('passes figures that add up', () => {
    expect(checkRowsAddUp(figures(1000, 992, 8), byReason)).toBeNull();
    expect(checkRowsAddUp(figures(7, 7, 0), [])).toBeNull();
  });

  it.each<[string, ReturnType<typeof figures>, string, SkippedCount[]?]>([
    ['rows unaccounted for', figures(1000, 990, 8), 'rows do not add up: 1,000 rows read, 990 events and 8 skipped (2 unaccounted for)'],
    ['one of each', figures(1, 1, 1), 'rows do not add up: 1 row read, 1 event and 1 skipped (1 more than read)', [{ reason: 'missing timestamp', count: 1 }]],
    ['rows counted twice', figures(1000, 995, 8), 'rows do not add up: 1,000 rows read, 995 events and 8 skipped (3 more than read)'],
  ])('names the three numbers when they do not add up: %s', (_, counted, problem, reasons = byReason) => {
    expect(checkRowsAddUp(counted, reasons)).toBe(problem);
  });

  it('does not take skipped as given: it must be the sum of the reasons', () => {
    // skipped = rows read - events would always "add up"; the reasons say otherwise.
    expect(checkRowsAddUp(figures(1000, 990, 10), byReason)).toBe(
      'skipped rows do not add up: 10 skipped, but 8 counted by reason (5 missing user id, 3 malformed line)',
    );
  });
});
