import { describe, expect, it } from 'vitest';
import { formatCount, formatDuration, formatInstantUs, formatShare } from './format';

describe('format', () => {
  it.each([
    [999, '999'],
    [12345, '12.3 k'],
    [1_234_567, '1.2 M'],
    [25_000_000, '25 M'],
  ])('counts %d as %s', (n, text) => {
    expect(formatCount(n)).toBe(text);
  });
  it.each([
    [0, '0 s'],
    [0.25, '250 ms'],
    [42, '42 s'],
    [185, '3 min 05 s'],
    [11100, '3 h 05 min'],
    [3 * 86400 + 7200, '3 d 2 h'],
  ])('durations %d s as %s', (s, text) => {
    expect(formatDuration(s)).toBe(text);
  });
  it('shares', () => {
    expect(formatShare(0.1234)).toBe('12.3%');
    expect(formatShare(0.0012)).toBe('0.12%');
  });
  it('instants in UTC whatever the process time zone', () => {
    expect(formatInstantUs(Date.UTC(2024, 4, 1, 10) * 1000)).toBe('2024-05-01T10:00:00Z');
  });
});
