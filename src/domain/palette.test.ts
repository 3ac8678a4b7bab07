import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contrastRatio } from './contrast';

/*
 * The page's palette (styles.css custom properties, light and dark) against WCAG AA: text
 * 4.5:1 on every background it is drawn on, the focus ring and the chart colours 3:1 (the
 * chart colours are also drawn as legend text, so they are held to 4.5:1 too).
 */

const css = readFileSync(path.join(import.meta.dirname, '..', 'styles.css'), 'utf8');

function palette(block: string): Record<string, string> {
  return Object.fromEntries([...block.matchAll(/--([a-z-]+):\s*(#[0-9a-f]{6})\s*;/gi)].map((m) => [m[1] ?? '', (m[2] ?? '').toLowerCase()]));
}
const rootBlock = css.slice(css.indexOf(':root {'), css.indexOf('}', css.indexOf(':root {')));
const darkStart = css.indexOf('@media (prefers-color-scheme: dark)');
const darkBlock = css.slice(darkStart, css.indexOf('}', css.indexOf(':root {', darkStart)));
const light = palette(rootBlock);
const dark = { ...light, ...palette(darkBlock) };

const BACKGROUNDS = ['bg', 'panel', 'error-bg'];
const TEXT = ['ink', 'muted', 'accent', 'warn', 'ok', 'chart-within', 'chart-breaks', 'chart-second', 'chart-accent', 'chart-muted', 'chart-ink'];
const UI = ['focus', 'control-border'];

describe.each([
  ['light', light],
  ['dark', dark],
])('the %s palette', (_, colours) => {
  const colour = (name: string) => {
    const value = colours[name];
    if (!value) throw new Error(`styles.css defines no --${name}`);
    return value;
  };
  it.each(TEXT.flatMap((fg) => BACKGROUNDS.map((bg) => [fg, bg])))('--%s on --%s reaches 4.5:1', (fg, bg) => {
    expect(contrastRatio(colour(fg), colour(bg))).toBeGreaterThanOrEqual(4.5);
  });
  it.each(UI.flatMap((fg) => BACKGROUNDS.map((bg) => [fg, bg])))('--%s on --%s reaches 3:1', (fg, bg) => {
    expect(contrastRatio(colour(fg), colour(bg))).toBeGreaterThanOrEqual(3);
  });
  it('button text on the accent colour reaches 4.5:1', () => {
    expect(contrastRatio(colour('on-accent'), colour('accent'))).toBeGreaterThanOrEqual(4.5);
  });
  it('the dark palette overrides every colour (none falls back to the light one)', () => {
    expect(Object.keys(palette(darkBlock)).sort()).toEqual(Object.keys(light).sort());
  });
});

describe('contrastRatio', () => {
  it.each([
    ['#000000', '#ffffff', 21],
    ['#ffffff', '#ffffff', 1],
    ['#767676', '#ffffff', 4.54],
    ['#56b4e9', '#ffffff', 2.3],
  ])('%s on %s is %s:1', (a, b, ratio) => {
    expect(contrastRatio(a, b)).toBeCloseTo(ratio, 1);
  });
});
