import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOLDEN_DIR, goldenTexts } from '../test/dialect-golden';

// The generated SQL of each engine for a few representative cases, one reviewable file each
// in src/sql/golden/. After a deliberate change to the SQL, rewrite them with
//   UPDATE_GOLDEN=1 TZ=America/Los_Angeles npx vitest run src/sql/dialect-sql.golden.test.ts
// and read the diff.
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const texts = goldenTexts();

describe('generated SQL: golden files', () => {
  if (UPDATE) {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    for (const name of readdirSync(GOLDEN_DIR)) if (!texts.some((t) => t.file === name)) unlinkSync(join(GOLDEN_DIR, name));
    for (const { file, text } of texts) writeFileSync(join(GOLDEN_DIR, file), text);
  }

  it.each(texts.map((t) => [t.file, t] as const))('%s is what the code generates', (file, { text }) => {
    const path = join(GOLDEN_DIR, file);
    expect(existsSync(path), `${file} is missing: run with UPDATE_GOLDEN=1`).toBe(true);
    expect(text, `${file} differs: run with UPDATE_GOLDEN=1 if the change is meant, and review the diff`).toBe(readFileSync(path, 'utf8'));
  });

  it('holds no file that no case generates', () => {
    expect(readdirSync(GOLDEN_DIR).sort()).toEqual(texts.map((t) => t.file).sort());
  });
});
