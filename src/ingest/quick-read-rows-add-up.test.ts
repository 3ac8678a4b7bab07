import { describe, expect, it, vi } from 'vitest';
import { quickRead } from './quick-read';
import * as order from './quick-read-order';

/*
 * The quick read's figures are three counts made apart (the rows its scanner saw, the events
 * it ordered, the rows it skipped by reason), checked to add up. A bug that loses an event,
 * played here by an event order that drops the last one, is a failure the page shows, not
 * a skipped row more.
 */

vi.mock('./quick-read-order', async (actual) => {
  const real = await actual<typeof order>();
  return {
    ...real,
    eventOrder: vi.fn(real.eventOrder),
  };
});

const comma = { delimiter: ',', quote: '"' };
const bytes = new TextEncoder().encode('user_id,timestamp,url\nu1,2024-05-01T10:00:00Z,/a\n,2024-05-01T10:01:00Z,/b\nu1,2024-05-01T10:02:00Z,/c\n');

describe('the quick read checks that its rows add up', () => {
  it('counts skipped rows by reason, and skipped is their sum', () => {
    const read = quickRead(bytes, comma);
    if (!read.ok) throw new Error(read.reason);
    expect(read.figures).toMatchObject({ rowsRead: 3, events: 2, skipped: 1 });
    expect(read.skipped.byReason).toEqual([{ reason: 'missing user id', count: 1 }]);
  });

  it('fails, naming the three numbers, when an event goes missing', async () => {
    const real = await vi.importActual<typeof order>('./quick-read-order');
    vi.mocked(order.eventOrder).mockImplementationOnce((...args) => {
      const result = real.eventOrder(...args);
      const starts = result.starts.slice();
      starts[starts.length - 1] = (starts[starts.length - 1] as number) - 1;
      return { ...result, order: result.order.subarray(0, result.order.length - 1), starts };
    });
    const read = quickRead(bytes, comma);
    expect(read).toEqual({
      ok: false,
      reason: 'rows do not add up: 3 rows read, 1 event and 1 skipped (1 unaccounted for)',
      failed: 'rows do not add up: 3 rows read, 1 event and 1 skipped (1 unaccounted for)',
    });
  });
});
