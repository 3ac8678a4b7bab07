import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { AppPage } from './app-page';

/*
 * Every input file of the shared messy-CSV corpus, chosen through the page: each either
 * loads or shows an error naming it, within a bound, and the page stays usable. The
 * per-file outcomes are pinned in src/state/corpus.test.ts; this checks the page around them.
 */
const corpusDir = path.resolve(import.meta.dirname, '../../shared/peer-suites/csv-corpus');
const present = fs.existsSync(path.join(corpusDir, 'README.md'));
const NOT_INPUT = [/^csv-spectrum\/json\//, /^pollock\/polluted_files\/(clean|parameters)\//, /(^|\/)(LICENSE(\.md|\.txt)?|NOTICE\.txt|COPYING|README\.md)$/];

function inputs(): string[] {
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  return walk(corpusDir)
    .map((f) => path.relative(corpusDir, f).split(path.sep).join('/'))
    .filter((rel) => !NOT_INPUT.some((re) => re.test(rel)))
    .sort();
}

test('every corpus file loads or says clearly why not, and the page stays usable', async ({ page }) => {
  test.skip(!present, `the csv corpus is not at ${corpusDir}: skipped`);
  test.setTimeout(600_000);
  const app = new AppPage(page);
  await app.open();
  const outcomes: string[] = [];
  for (const rel of inputs()) {
    const name = path.basename(rel);
    await page.getByTestId('file-input').setInputFiles(path.join(corpusDir, rel));
    // Settled: either this file's result is on screen, or an error names it, or the page asks
    // which of its columns to use (src/state/corpus.test.ts lists those files). Watched in the
    // page on every frame: polling from here waits up to a second between looks.
    const question = page.getByTestId('mapping-question');
    const settled = await page.waitForFunction(
      (fileName) => {
        const status = document.querySelector('[data-testid=app-status]');
        const text = (id: string) => document.querySelector(`[data-testid=${id}]`)?.textContent ?? '';
        const state = status?.getAttribute('data-state');
        if (status?.getAttribute('data-question') === 'mapping' && text('mapping-question').includes(fileName)) return 'asked';
        if (state === 'ready' && status?.getAttribute('data-file') === fileName) return 'loaded';
        return state === 'error' && text('error').includes(fileName) ? 'error' : null;
      },
      name,
      { timeout: 20_000 },
    );
    const outcome = String(await settled.jsonValue());
    outcomes.push(`${outcome.padEnd(6)} ${rel}`);
    if (outcome === 'asked') {
      await page.getByTestId('mapping-question-cancel').click();
      await expect(question).toHaveCount(0);
    }
    if (outcome === 'loaded') {
      const { events, skipped } = await app.stats();
      const rowsRead = Number(await page.getByTestId('stat-rows-read').getAttribute('data-value'));
      expect(events + skipped, rel).toBe(rowsRead);
    }
  }
  console.log(outcomes.join('\n'));
  // Still usable afterwards.
  await app.chooseFile(app.fixture('boundary.csv'));
  await app.waitReady('boundary.csv');
  expect(await app.stat('events')).toBe(8);
});
