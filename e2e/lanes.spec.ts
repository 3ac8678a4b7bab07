import { test, expect, type Page } from '@playwright/test';
import { writeFile } from 'node:fs/promises';
import { AppPage } from './app-page';

/*
 * lanes.csv by hand (times 2024-05-01 UTC; gaps in minutes):
 *   alice  10:00, 10:10, 10:40, 10:45, 11:40  (gaps 10, 30, 5, 55)  at 30 min: 3 sessions; at 60: 1
 *   bob    08:00, 08:45, 09:50                (gaps 45, 65)         at 30: 3; at 60: 2 (08:00 + 08:45)
 *   alfred 09:00, 09:20                                               1 at both
 *   carol  12:00                                                      1 at both
 * Sessions: 8 at 30 min, 5 at 60. Sessions at 30 that are not sessions at 60 (merged): alice's 3
 * and bob's first 2 = 5; users changed: alice and bob.
 * With at most 2 events a session: at 30, alice [10:00 10:10] [10:40 10:45] [11:40], bob 3,
 * alfred 1, carol 1 = 8; at 60 alice's sessions stay (the cap cuts before 11:40), bob 2 = 7:
 * merged 2 (bob's first two), one user changed (bob).
 */

async function lanes(page: Page): Promise<Record<string, number>> {
  const lanes = page.getByTestId('timeline-lane');
  const out: Record<string, number> = {};
  for (const lane of await lanes.all()) out[(await lane.getAttribute('data-user')) ?? ''] = Number(await lane.getAttribute('data-sessions'));
  return out;
}

async function sessionsPerUser(app: AppPage): Promise<Record<string, number>> {
  const { rows } = await app.download('export-sessions-csv');
  const out: Record<string, number> = {};
  for (const r of rows) out[r.user_id ?? ''] = (out[r.user_id ?? ''] ?? 0) + 1;
  return out;
}

test('lanes show the most active users, each with the sessions the export counts, and follow the threshold', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.chooseFile(app.fixture('lanes.csv'));
  await app.waitReady('lanes.csv', 30);
  await expect(page.getByTestId('timeline-lane')).toHaveCount(4);
  await expect(page.getByTestId('timeline-lane').first()).toHaveAttribute('data-user', 'alice');
  expect(await lanes(page)).toEqual({ alice: 3, bob: 3, alfred: 1, carol: 1 });
  expect(await lanes(page)).toEqual(await sessionsPerUser(app));

  await app.setGap(60);
  await expect(page.locator('[data-testid=timeline-lane][data-user=alice]')).toHaveAttribute('data-sessions', '1');
  expect(await lanes(page)).toEqual({ alice: 1, bob: 2, alfred: 1, carol: 1 });
  expect(await lanes(page)).toEqual(await sessionsPerUser(app));

  // Next session steps through the sessions in time order, with the page's own tooltip.
  await page.getByTestId('lanes-next').click();
  await expect(page.getByTestId('lane-tooltip')).toContainText('bob');
  await page.getByTestId('lanes-next').click();
  await expect(page.getByTestId('lane-tooltip')).toContainText('alfred');
  await page.getByTestId('lanes-prev').click();
  await expect(page.getByTestId('lane-tooltip')).toContainText('bob');

  // Hovering a session shows its tooltip; clicking it opens that user's timeline.
  const carol = page.locator('[data-testid=timeline-lane][data-user=carol] [data-testid=lane-session]');
  await carol.hover();
  await expect(page.getByTestId('lane-tooltip')).toContainText('Session 1 of 1');
  await carol.click();
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-user', 'carol');

  // A prefix picks the users whose id starts with it.
  await page.getByTestId('lanes-mode').selectOption('prefix');
  await page.getByTestId('lanes-prefix').fill('al');
  await page.getByTestId('lanes-prefix').press('Enter');
  await expect(page.getByTestId('timeline-lane')).toHaveCount(2);
  expect(await lanes(page)).toEqual({ alice: 1, alfred: 1 });
});

test('a second threshold: sessions at both, merged sessions and the users that change, who open their timelines', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.chooseFile(app.fixture('lanes.csv'));
  await app.waitReady('lanes.csv', 30);
  const compare = page.getByTestId('compare-gap-minutes');
  await compare.fill('60');
  await compare.press('Enter');
  const diff = page.getByTestId('threshold-diff');
  await expect(diff).toHaveAttribute('data-sessions-a', '8');
  await expect(app.status).toHaveAttribute('data-state', 'ready');
  await expect(diff).toHaveAttribute('data-sessions-b', '5');
  await expect(diff).toHaveAttribute('data-merged', '5');
  await expect(diff).toHaveAttribute('data-users-changed', '2');

  const maxEvents = page.getByTestId('rule-max-events');
  await maxEvents.fill('2');
  await maxEvents.press('Enter');
  await expect(diff).toHaveAttribute('data-sessions-b', '7');
  await expect(diff).toHaveAttribute('data-sessions-a', '8');
  await expect(diff).toHaveAttribute('data-merged', '2');
  await expect(diff).toHaveAttribute('data-users-changed', '1');
  await page.locator('[data-testid=changed-users] button[data-user=bob]').click();
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-user', 'bob');
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-sessions', '3');

  await compare.fill('');
  await compare.press('Enter');
  await expect(diff).toHaveCount(0);
});

test("one user's story: prefix search, every column, each session's start explained, a second user beside", async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.chooseFile(app.fixture('lanes.csv'));
  await app.waitReady('lanes.csv', 30);
  const search = page.getByTestId('user-search');
  const timeline = page.getByTestId('timeline');

  // The start of the only id that has it opens that user.
  await search.fill('car');
  await search.press('Enter');
  await expect(timeline).toHaveAttribute('data-user', 'carol');
  await expect(timeline).toHaveAttribute('data-sessions', '1');

  // Several ids start with "al": they are listed, and one is picked.
  await search.fill('al');
  await search.press('Enter');
  const matches = page.getByTestId('user-matches');
  await expect(matches).toHaveAttribute('data-count', '2');
  await matches.locator('button[data-user=alice]').click();
  await expect(timeline).toHaveAttribute('data-user', 'alice');
  await expect(timeline).toHaveAttribute('data-sessions', '3');
  await expect(app.status).toHaveAttribute('data-state', 'ready');

  // Every column of the file, and a row before each session naming the rule that started it.
  const events = timeline.getByTestId('timeline-events');
  for (const column of ['user_id', 'timestamp', 'url', 'event', 'device']) await expect(events.locator('th', { hasText: column })).toHaveCount(1);
  await expect(events.locator('td', { hasText: 'add_to_cart' })).toHaveCount(1);
  const breaks = events.getByTestId('session-break');
  await expect(breaks).toHaveCount(3);
  await expect(breaks.nth(0)).toHaveAttribute('data-rules', 'first');
  await expect(breaks.nth(1)).toHaveAttribute('data-rules', 'gap');
  await expect(breaks.nth(1)).toContainText('gap 30 min ≥ 30 min');
  const maxEvents = page.getByTestId('rule-max-events');
  await maxEvents.fill('2');
  await maxEvents.press('Enter');
  // alice's second and third sessions each follow a session of 2 events, after a gap of 30 and 55 min.
  await expect(breaks.nth(1)).toHaveAttribute('data-rules', 'gap,max-events');
  await expect(breaks.nth(2)).toHaveAttribute('data-rules', 'gap,max-events');
  await maxEvents.fill('');
  await maxEvents.press('Enter');
  await expect(breaks.nth(2)).toHaveAttribute('data-rules', 'gap');

  // A second user beside the first.
  const other = page.getByTestId('user-compare-search');
  await other.fill('bob');
  await other.press('Enter');
  await expect(page.getByTestId('timeline-compare')).toHaveAttribute('data-user', 'bob');
  await expect(page.getByTestId('timeline-compare')).toHaveAttribute('data-sessions', '3');
  await expect(timeline).toHaveAttribute('data-user', 'alice');
});

test('the second threshold on a generated file: the known numbers of its construction', async ({ page }, testInfo) => {
  // u000..u059: 1 to 4 events 45 min apart (k % 4 + 1): one session each at 30 min, one session
  // in all at 60. v000..v019: two events 90 min apart: two sessions at both thresholds.
  const base = Date.UTC(2024, 4, 1, 8);
  const lines = ['user_id,timestamp'];
  let at30 = 0;
  let at60 = 0;
  let merged = 0;
  let changed = 0;
  for (let k = 0; k < 60; k++) {
    const n = (k % 4) + 1;
    for (let e = 0; e < n; e++) lines.push(`u${String(k).padStart(3, '0')},${new Date(base + k * 60_000 + e * 45 * 60_000).toISOString()}`);
    at30 += n;
    at60 += 1;
    if (n > 1) {
      merged += n;
      changed += 1;
    }
  }
  for (let k = 0; k < 20; k++) {
    for (const m of [0, 90]) lines.push(`v${String(k).padStart(3, '0')},${new Date(base + k * 60_000 + m * 60_000).toISOString()}`);
    at30 += 2;
    at60 += 2;
  }
  const file = testInfo.outputPath('generated-merges.csv');
  await writeFile(file, `${lines.join('\n')}\n`);

  const app = new AppPage(page);
  await app.open();
  await app.chooseFile(file);
  await app.waitReady('generated-merges.csv', 30);
  expect(await app.stat('sessions')).toBe(at30);
  const compare = page.getByTestId('compare-gap-minutes');
  await compare.fill('60');
  await compare.press('Enter');
  const diff = page.getByTestId('threshold-diff');
  await expect(diff).toHaveAttribute('data-sessions-b', String(at60));
  await expect(diff).toHaveAttribute('data-sessions-a', String(at30));
  await expect(diff).toHaveAttribute('data-merged', String(merged));
  await expect(diff).toHaveAttribute('data-users-changed', String(changed));
  await expect(page.locator('[data-testid=changed-users] button')).toHaveCount(changed);

  // The other way round: the current threshold the higher one; merged still counts the lower's sessions.
  await app.setGap(60);
  await compare.fill('30');
  await compare.press('Enter');
  await expect(diff).toHaveAttribute('data-sessions-b', String(at30));
  await expect(diff).toHaveAttribute('data-sessions-a', String(at60));
  await expect(diff).toHaveAttribute('data-merged', String(merged));
  await expect(diff).toHaveAttribute('data-users-changed', String(changed));
});
