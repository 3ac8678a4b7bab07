import { describe, expect, it } from 'vitest';
import { barsPath } from './LanesOverview';

describe('barsPath', () => {
  it('draws each bar as a closed rectangle from its left edge', () => {
    expect(
      barsPath(
        [
          { x0: 0, x1: 2 },
          { x0: 10.5, x1: 12 },
        ],
        3.5,
        2,
      ),
    ).toBe('M0 3.5h2v2h-2zM10.5 3.5h1.5v2h-1.5z');
  });

  it('rounds to tenths of a unit', () => {
    expect(barsPath([{ x0: 1.23456, x1: 5.98765 }], 0, 2)).toBe('M1.2 0h4.8v2h-4.8z');
  });

  it('draws nothing for no bars', () => {
    expect(barsPath([], 0, 2)).toBe('');
  });
});
