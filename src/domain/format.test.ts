import { describe, expect, it } from 'vitest';
import { formatChange, formatCount, formatDuration, formatExact, formatInstantUs, formatShare } from './format';

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

describe('exact counts and changes', () => {
  it('writes counts in full and changes with their sign', () => {
    expect(formatExact(16_123)).toBe('16,123');
    expect(formatExact(1_234_567)).toBe('1,234,567');
    expect(formatChange(0)).toBe('0%');
    expect(formatChange(0.0062)).toBe('+0.62%');
    expect(formatChange(-0.004)).toBe('−0.40%');
    expect(formatChange(0.25)).toBe('+25.0%');
  });
});
