import { test, expect, type Page } from '@playwright/test';
import { referenceSessionize } from '../src/test/reference-sessionizer';
import { AppPage } from './app-page';

/*
 * A file whose user column neither names nor values decide (two columns of repeating ids,
 * neither named as a user): the page asks instead of showing figures from a guess, keeps what
 * was shown before, and loads the file once a column is chosen through the map-user hook.
 */

const ROWS = Array.from({ length: 80 }, (_, i) => ({
  a: `a${i % 7}`,
  b: `b${(i * 5) % 9}`,
  ts: new Date(Date.UTC(2024, 4, 1, 8) + i * 11 * 60_000 + (i % 3) * 47 * 60_000).toISOString(),
}));
const ASKED = `col_a,col_b,moment\n${ROWS.map((r) => `${r.a},${r.b},${r.ts}`).join('\n')}\n`;

async function choose(page: Page, name: string, text: string): Promise<void> {
  await page.getByTestId('file-input').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
}

/** Sessions of the reference sessionizer with `user` as the user column, at 30 minutes. */
function referenceSessions(user: 'a' | 'b'): number {
  const { events } = referenceSessionize(
    ROWS.map((r, i) => ({ row: i + 1, user: r[user], ts: r.ts })),
    'iso',
    30 * 60_000_000,
    'ge',
  );
  return new Set(events.map((e) => e.sessionId)).size;
}

test('an uncertain user column is asked, the dataset before stays, and choosing it loads the file', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.chooseFile(app.fixture('boundary.csv'));
  await app.waitReady('boundary.csv', 30);
  const before = await app.stats();

  await choose(page, 'asked.csv', ASKED);
  const question = page.getByTestId('mapping-question');
  await expect(app.status).toHaveAttribute('data-question', 'mapping');
  await expect(app.status).toHaveAttribute('data-state', 'ready');
  await expect(app.status).toHaveAttribute('data-file', 'boundary.csv');
  expect(await app.stats()).toEqual(before);
  await expect(question).toContainText('asked.csv');
  await expect(question).toContainText('No column is named like a user id');
  await expect(question.getByTestId('question-candidate').filter({ hasText: 'col_a' })).toContainText('a0');
  await expect(question.getByTestId('question-candidate').filter({ hasText: 'col_b' })).toContainText('b0');
  // The question's selects are the only ones: no silent preselection for the user.
  await expect(page.getByTestId('map-user')).toHaveCount(1);
  await expect(page.getByTestId('map-timestamp')).toHaveCount(1);
  await expect(question.getByTestId('map-user')).toHaveValue('');
  await expect(question.getByTestId('map-timestamp')).toHaveValue('moment');

  await page.getByTestId('map-user').selectOption('col_b');
  await app.waitReady('asked.csv', 30);
  await expect(app.status).not.toHaveAttribute('data-question');
  await expect(question).toHaveCount(0);
  await expect(page.getByTestId('map-user')).toHaveValue('col_b');
  expect(await app.stat('events')).toBe(ROWS.length);
  expect(await app.stat('users')).toBe(9);
  expect(await app.stat('sessions')).toBe(referenceSessions('b'));

  // The mapping panel then changes it as for any file.
  await page.getByTestId('map-user').selectOption('col_a');
  await expect(page.getByTestId('stat-users')).toHaveAttribute('data-value', '7');
  await app.waitReady('asked.csv', 30);
  expect(await app.stat('sessions')).toBe(referenceSessions('a'));
});

test('cancel drops the file asked about; with nothing loaded the status stays empty', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await choose(page, 'asked.csv', ASKED);
  await expect(app.status).toHaveAttribute('data-question', 'mapping');
  await expect(app.status).toHaveAttribute('data-state', 'empty');
  await expect(page.getByTestId('stat-events')).toHaveCount(0);
  await page.getByTestId('mapping-question-cancel').click();
  await expect(page.getByTestId('mapping-question')).toHaveCount(0);
  await expect(app.status).not.toHaveAttribute('data-question');
  await expect(app.status).toHaveAttribute('data-state', 'empty');

  // Asked again, then another file chosen: the question goes, the other file loads.
  await choose(page, 'asked.csv', ASKED);
  await expect(app.status).toHaveAttribute('data-question', 'mapping');
  await app.chooseFile(app.fixture('boundary.csv'));
  await app.waitReady('boundary.csv', 30);
  await expect(page.getByTestId('mapping-question')).toHaveCount(0);
  expect(await app.stat('events')).toBe(8);
});
