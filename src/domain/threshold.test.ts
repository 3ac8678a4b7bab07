import { describe, expect, it } from 'vitest';
import { minutesToSlider, parseGapMinutes, sliderToMinutes, SLIDER_STEPS } from './threshold';

describe('threshold slider', () => {
  it('maps its ends to 6 seconds and 7 days', () => {
    expect(sliderToMinutes(0)).toBe(0.1);
    expect(sliderToMinutes(SLIDER_STEPS)).toBe(10080);
  });
  it('round-trips a slider position through minutes to within one step', () => {
    for (let p = 0; p <= SLIDER_STEPS; p += 7) {
      expect(Math.abs(minutesToSlider(sliderToMinutes(p)) - p)).toBeLessThanOrEqual(1);
    }
  });
  it('places 30 minutes near the middle', () => {
    const p = minutesToSlider(30);
    expect(p).toBeGreaterThan(400);
    expect(p).toBeLessThan(600);
  });
});

describe('parseGapMinutes', () => {
  it.each([
    ['30', 30],
    ['0.5', 0.5],
    [' 45 ', 45],
    ['1e1', 10],
  ])('reads %j', (text, minutes) => {
    expect(parseGapMinutes(text)).toEqual({ ok: true, minutes });
  });
  it.each(['', 'abc', '0', '-5', 'Infinity', '1000000'])('refuses %j', (text) => {
    expect(parseGapMinutes(text).ok).toBe(false);
  });
});
