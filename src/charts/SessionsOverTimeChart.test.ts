import { describe, expect, it } from 'vitest';
import { binTicks } from './SessionsOverTimeChart';

const days = (n: number) => Array.from({ length: n }, (_, i) => ({ bin: new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10), sessions: i }));
const hours = (n: number) => Array.from({ length: n }, (_, i) => ({ bin: new Date(Date.UTC(2024, 0, 1, i)).toISOString().slice(0, 13), sessions: i }));

describe('binTicks', () => {
  it.each([
    [1, [0]],
    [7, [0, 1, 2, 3, 4, 5, 6]],
    [8, [0, 2, 4, 6]],
    [30, [0, 7, 14, 21, 28]],
    [365, [0, 56, 112, 168, 224, 280, 336]],
  ])('labels %d days from the first, every day or round step, at most 7', (n, positions) => {
    expect(binTicks(days(n), 'day').map((t) => t.position)).toEqual(positions);
  });

  it('labels days as month-day and hours as month-day hour', () => {
    expect(binTicks(days(3), 'day').map((t) => t.label)).toEqual(['01-01', '01-02', '01-03']);
    expect(binTicks(hours(72), 'hour').map((t) => t.label)).toEqual(['01-01 00h', '01-02 00h', '01-03 00h']);
  });

  it('keeps hour labels to five or fewer, stepping by hours that divide a day', () => {
    expect(binTicks(hours(24), 'hour').map((t) => t.position)).toEqual([0, 6, 12, 18]);
    expect(binTicks(hours(5), 'hour')).toHaveLength(5);
    for (const n of [1, 13, 100, 744]) expect(binTicks(hours(n), 'hour').length).toBeLessThanOrEqual(5);
  });

  it('draws nothing for no bins', () => {
    expect(binTicks([], 'day')).toEqual([]);
  });
});
