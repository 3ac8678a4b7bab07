import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * The unit tests share one module graph per worker (vite.config.ts, isolate: false). A file that
 * replaces a module or a global for its whole run would change the files run after it in the
 * same worker, so such a file must be listed in vite.config.ts's ISOLATED_TEST_FILES.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
/** Calls whose effect outlives the file unless undone: module replacement, stubbed globals and env. */
const LASTING = /\bvi\.(mock|doMock|stubGlobal|stubEnv)\(/;

function testFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return testFiles(rel);
    return entry.name.endsWith('.test.ts') ? [rel] : [];
  });
}

describe('test isolation', () => {
  it('every file that replaces a module or a global runs isolated', () => {
    const config = readFileSync(path.join(ROOT, 'vite.config.ts'), 'utf8');
    const listed = config.match(/ISOLATED_TEST_FILES = \[([^\]]*)\]/)?.[1] ?? '';
    const unlisted = [...testFiles('src'), ...testFiles('scripts')].filter(
      (file) => LASTING.test(readFileSync(path.join(ROOT, file), 'utf8')) && !listed.includes(`'${file}'`),
    );
    expect(unlisted).toEqual([]);
  });

  it('every file that uses fake timers puts the real ones back', () => {
    const leaking = [...testFiles('src'), ...testFiles('scripts')].filter((file) => {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      return text.includes('vi.useFakeTimers(') && !text.includes('vi.useRealTimers()');
    });
    expect(leaking).toEqual([]);
  });
});
