import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * Colours come from styles.css's custom properties, whose contrast src/domain/palette.test.ts
 * checks in light and dark mode. A literal colour in a chart or component escapes that check
 * (and the axe audit in e2e, which cannot work out a background under SVG or overlapping
 * boxes): a white label box behind light dark-mode text went unnoticed that way.
 */

const COLOUR_LITERAL = /#[0-9a-f]{3,8}\b|\brgba?\(|\bhsla?\(/i;

function sources(folder: string): string[] {
  const dir = path.join(import.meta.dirname, '..', folder);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.tsx') || (f.endsWith('.ts') && !f.endsWith('.test.ts')))
    .map((f) => `${folder}/${f}`);
}

describe('colours in charts and components', () => {
  it.each([...sources('charts'), ...sources('components')])('%s draws only with the palette', (file) => {
    const text = readFileSync(path.join(import.meta.dirname, '..', file), 'utf8');
    const lines = text.split('\n').flatMap((line, i) => (COLOUR_LITERAL.test(line.replace(/\/\/.*$|\/\*.*?\*\//g, '')) ? [`${i + 1}: ${line.trim()}`] : []));
    expect(lines).toEqual([]);
  });
});
